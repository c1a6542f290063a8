"""Data roles, canonical column names, and how headers from real exports map onto them.

Inference is pure: it looks at header names (and, for columns no header explains, a small sample
of values) and says, for every canonical column it fills, which source column and why. The
Dataset turns that into SQL. Synonyms are normalised headers (lowercase, punctuation -> space),
listed per canonical column in priority order: the first one present wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from . import rx

ROLES = ("transactions", "customers", "feedback", "events", "baskets")

CANONICAL: dict[str, tuple[str, ...]] = {
    "transactions": ("customer_id", "order_id", "order_date", "product", "category", "quantity",
                     "unit_price", "amount", "cost", "unit_cost", "discount", "refund", "channel", "region", "country",
                     "status", "profit"),
    "customers": ("customer_id", "signup_date", "age", "gender", "country", "region", "city", "industry",
                  "company_size", "segment", "contract", "churned"),
    "feedback": ("customer_id", "date", "score", "text", "product", "topic"),
    "events": ("customer_id", "session_id", "timestamp", "event", "channel", "device"),
    "baskets": ("basket_id", "product"),
}

DATE_COLUMNS = {"order_date", "signup_date", "date", "timestamp"}
#: each role's date: what a period ("in 2024") scopes, and what the data covers
DATE_OF = {"transactions": "order_date", "feedback": "date", "events": "timestamp", "customers": "signup_date"}
NUMBER_COLUMNS = {"quantity", "unit_price", "amount", "cost", "unit_cost", "discount", "refund", "score", "age",
                  "profit"}
ID_COLUMNS = {"customer_id", "order_id", "session_id", "basket_id"}
#: a column of people's own names ("Billing First Name", "surname", "Vorname"): it tells who a customer is,
#: never a kind of customer, so it is no value list, filter, breakdown or driver ("first name Ben")
PERSON_NAME = re.compile(r"(?:^|_)(?:(?:first|last|given|family|middle|sur|nick)_?names?|firstname|lastname|surname|"
                         r"forename|vorname|nachname|prenom|apellidos?|voornaam|achternaam)$")

# WooCommerce's "Customer User ID" is 0 for every guest checkout: the billing e-mail comes before it.
# HubSpot deals name their customer "Associated Company (Primary)" (ids in "... IDs (Primary)"), or
# "Associated Contact ID"; Salesforce "Contact ID"/"AccountId"; Pipedrive "Person - ID", "Organization - ID".
# A contacts export's own key ("Record ID", "Contact ID", "Person - ID") comes before the company it
# belongs to ("Account ID", "Organization - ID"), which many contacts share.
_CUSTOMER = ["customer id", "customerid", "customer number", "customer no", "cust id", "client id",
             "buyer id", "buyer user id", "member id", "contact id", "contactid", "account id", "accountid",
             "associated contact id", "associated contact ids", "associated contact record id",
             "associated company ids primary", "associated company id", "associated company ids",
             "associated account id", "person id", "personid", "deal person id", "contact person id",
             "organization id", "organisation id", "org id", "deal organization id", "company id", "companyid",
             "user id",
             "customer", "client", "customer email", "email", "email address", "billing email",
             "customer email billing", "customer user id", "buyer email", "account name", "company name",
             "company", "associated company primary", "associated company", "associated contact",
             "client email", "client email address", "client e mail", "patient email",
             "customer name", "client name",
             # a guesthouse's or a hotel's booking export: the guest is the customer, the email before the name
             "guest id", "guest email", "guest email address", "guest number", "guest", "guest name",
             # a charity's gifts: the donor (a supporter, a constituent in Raiser's Edge) is the customer
             "donor id", "donor number", "donor no", "donor ref", "donor reference", "donor", "donor email",
             "supporter id", "supporter number", "supporter no", "supporter ref", "supporter", "constituent id",
             "constituent number",
             # an accounts system's sales ledger: the invoices of a customer account
             "account no", "account number", "account num", "acct no", "acct number", "account code", "account ref",
             "customer account", "customer account number", "customer account no", "customer code", "customer ref"]

SYNONYMS: dict[str, dict[str, list[str]]] = {
    "transactions": {
        "customer_id": _CUSTOMER,
        "order_id": ["order id", "orderid", "order number", "order no", "order", "invoiceno", "invoice no",
                     "invoice", "invoice number", "invoice id", "transaction id", "receipt id", "basket id",
                     # a till's receipt number ("Transaction" of the Kaggle bakery export)
                     "transaction", "transaction no", "transaction number", "receipt", "receipt no",
                     "receipt number",
                     "opportunity id", "deal id", "payment id", "charge id", "id", "record id",
                     "opportunity name", "deal name", "name",
                     # a booking export: each booking is an order
                     "booking id", "booking ref", "booking reference", "booking number", "booking no", "booking code",
                     "reservation id", "reservation number", "reservation no", "reservation code", "confirmation number",
                     "confirmation code", "booking", "reservation",
                     # an appointments export (a salon, a clinic): each appointment is an order
                     "appointment id", "appointment number", "appointment no", "appointment ref", "visit id",
                     # a charity's gifts: each gift (donation) is an order
                     "gift id", "gift number", "gift no", "gift ref", "gift reference", "donation id", "donation number",
                     "donation no", "donation ref", "donation reference"],
        "order_date": ["order date", "orderdate", "invoicedate", "invoice date", "purchase date",
                       "transaction date", "close date", "closedate", "created at", "created utc",
                       "created", "created date", "create date", "date created", "order created", "paid at",
                       "date", "order datetime", "datetime", "timestamp", "deal close date",
                       "deal won time", "won time", "deal expected close date", "order purchase timestamp",
                       "order purchase date", "purchase timestamp", "purchase datetime", "order placed at",
                       "placed at", "order timestamp", "trans date", "tran date", "txn date", "transaction datetime",
                       "transaction timestamp", "trans datetime", "sale date", "sales date",
                       # a booking export: the stay (check-in) is when the money is earned, before the booking's day
                       "check in date", "check in", "checkin date", "checkin", "arrival date", "arrival", "stay date",
                       "booking date", "booked on", "booked date", "date booked", "reservation date",
                       # an appointments export: the day of the appointment
                       "appointment date", "appointment datetime", "appointment start", "appointment time", "visit date",
                       "service date", "date of service", "date of visit",
                       # a charity's gifts: the day the gift was given (received)
                       "gift date", "donation date", "date of gift", "date of donation", "gift received date",
                       "date received", "received date", "received on"],
        "product": ["product", "product name", "lineitem name", "item name", "item title", "item", "description",
                    "product title", "title", "sku name", "article", "product id", "sku", "stockcode",
                    "stock code", "product code", "item code",
                    # a booking export sells rooms; a salon or a clinic services, a teacher courses
                    "room type", "room", "room name", "service", "service name", "treatment", "course", "course name"],
        "category": ["category", "product category", "category name", "product category name", "product type", "department",
                     "product line", "product family", "family"],
        "quantity": ["quantity", "qty", "lineitem quantity", "units", "quantity ordered", "number of items",
                     "items", "item quantity", "number of cds", "count",
                     # a returns report's or a credit note's quantity
                     "return quantity", "returned quantity", "quantity returned", "qty returned", "returned qty",
                     # a booking export: the nights sold
                     "nights", "number of nights", "no of nights", "room nights"],
        "unit_price": ["unit price", "unitprice", "lineitem price", "item price", "price each", "item cost",
                       "price per unit", "sale price", "price", "list price",
                       "nightly rate", "rate per night", "price per night", "room rate"],
        "amount": ["amount", "line total", "total", "order total", "order total amount", "total amount",
                   "total price", "revenue", "sales", "net sales", "gross sales", "sale amount", "net amount",
                   "amount paid", "payment amount", "payment value", "paid amount", "charge amount", "converted amount", "extended price",
                   "dollar value", "value", "spend", "subtotal", "deal value", "deal amount",
                   "opportunity amount", "tran amount", "trans amount", "txn amount", "transaction amount",
                   "transaction value", "transaction total", "sale value", "order amount", "order value",
                   # a ticketing export's Total Paid; an accounts system's invoice lines: Net (before VAT)
                   "total paid", "net", "net value", "line net", "net line amount",
                   # a charity's gifts
                   "gift amount", "donation amount", "amount donated", "gift value", "donation value"],
        "cost": ["cost", "total cost", "cogs", "cost of goods", "cost of goods sold", "product cost",
                 "cost price", "unit cost total"],
        "unit_cost": ["unit cost", "unitcost", "cost per unit", "cost each", "item unit cost", "unit cogs",
                      "lineitem cost", "purchase price", "unit purchase price"],
        "discount": ["discount", "discount amount", "discounts", "total discount", "discount total",
                     "cart discount", "coupon amount", "discount rate", "discount pct", "discount percent",
                     "discount percentage", "disc", "disc pct", "disc rate", "disc amount", "disc amt",
                     # an ERP's invoice lines: LineDiscountPct, Line Discount %
                     "line discount pct", "line discount percent", "line discount", "line discount rate",
                     "line discount amount", "linediscountpct", "linediscount"],
        "refund": ["refunded amount", "refund amount", "amount refunded", "refunds", "refund", "refunded",
                   "total refunded", "refund total", "refunded total"],
        "channel": ["channel", "sales channel", "order source", "source name", "lead source", "source",
                    "utm source", "platform"],
        "region": ["region", "sales region", "territory", "billing region", "shipping region", "billing province",
                   "shipping province", "state", "billing state", "province", "market",
                   # a marketplace seller's report (Amazon's ship-state)
                   "ship state", "shipping state", "ship region", "ship province"],
        "country": ["country", "billing country", "shipping country", "ship country", "country region", "country code",
                    "country iso code", "iso country code", "country iso", "country name",
                    "billing country code", "shipping country code", "card address country", "customer country",
                    "guest country", "country of residence", "card country", "card issuer country",
                    "card issuing country"],
        "status": ["financial status", "order status", "payment status", "status", "stage", "deal stage",
                   "opportunity stage", "stagename", "deal status", "deal stage name",
                   # a ticketing export's Order Type: Completed, Free Order, Refunded, Cancelled
                   "order type"],
        # read as cost = amount - profit where there is no cost column (core/rates.py)
        "profit": ["profit", "gross profit", "profit amount", "line profit", "gross margin", "margin",
                   "margin amount", "profit margin", "gross margin amount", "net profit"],
    },
    "customers": {
        "customer_id": ["customer id", "customerid", "customer number", "customer no", "cust id", "client id",
                        "record id", "contact id", "contactid", "person id", "personid", "account id", "accountid",
                        "organization id", "organisation id", "company id", "companyid", "hs object id",
                        "member id", "user id", "id", "customer",
                        # the Kaggle credit-card churn table's CLIENTNUM, and numbers said the same way
                        "clientnum", "client num", "client number", "client no", "customer num", "custnum",
                        "cust num", "account number", "account no", "acct id", "acct no", "member number",
                        "client", "email", "email address", "rownames", "row id",
                        # a telecom's or a subscription business's customers
                        "subscriber id", "subscriberid", "subscriber", "subscriber number",
                        # a charity's donors
                        "donor id", "donor number", "donor no", "donor ref", "donor reference", "supporter id",
                        "supporter number", "supporter no", "supporter ref", "constituent id", "constituent number"],
        "signup_date": ["signup date", "sign up date", "signup", "registration date", "registered",
                        "registered at", "customer since", "join date", "date joined", "created at",
                        "create date", "created date", "created", "first order date", "customer enroll",
                        "enroll date", "enrolled", "enrolled on", "enrollment date", "enrolment date", "date enrolled",
                        "joined", "joined on", "member since", "dt customer", "customer since date",
                        # a charity's donor: when they first gave (a donor from that day on)
                        "first gift date", "first donation date", "date of first gift", "donor since",
                        "supporter since", "recruitment date", "recruited"],
        "age": ["age", "customer age", "age years"],
        "gender": ["gender", "sex"],
        "country": ["country", "country region", "billing country", "mailing country", "country code",
                    "country iso code", "iso country code", "country iso", "country name"],
        "region": ["region", "state", "state region", "billing state province", "province", "territory", "region name",
                   "state name"],
        "city": ["city", "billing city", "mailing city", "town", "city name"],
        "industry": ["industry", "sector", "vertical"],
        "company_size": ["company size", "number of employees", "employees", "employee count", "headcount", "head count",
                         "staff count", "number of staff", "size", "employee size", "employee number", "employee numbers",
                         "company size band", "firm size", "business size", "account size"],
        "segment": ["segment", "customer segment", "tier", "customer tier", "lifecycle stage"],
        "contract": ["contract", "contract type", "plan", "subscription", "subscription plan", "subscription type",
                     "plan type", "plan name"],
        "churned": ["churned", "churn", "exited", "attrition", "is churned", "churn flag", "left",
                    "attrition flag", "attrition status", "churn status", "churn label", "churned flag", "attrited",
                    "is attrited", "exit flag", "is churn", "churned this month", "churn this month", "churned this period",
                    "churned in month", "churned in period"],
    },
    "feedback": {
        "customer_id": _CUSTOMER + ["respondent id", "reviewer id"],
        "date": ["date", "response date", "submitted at", "review date", "survey date", "created at",
                 "created", "timestamp", "ticket date"],
        "score": ["score", "nps", "nps score", "rating", "stars", "star rating", "review score", "csat",
                  "csat score", "satisfaction", "likelihood to recommend", "satisfaction rating",
                  "satisfaction score", "csat rating"],
        "text": ["comment", "comments", "text", "review", "review text", "feedback", "body", "message",
                 "verbatim", "free text", "answer", "review body", "description", "content", "review content",
                 "comment text", "feedback text", "remarks"],
        "product": ["product", "product name", "item", "product purchased"],
        "topic": ["topic", "subject", "theme", "reason", "department", "tag", "category", "issue type"],
    },
    "events": {
        "customer_id": _CUSTOMER + ["visitor id", "visitor", "visitorid", "anonymous id", "anonymousid",
                                    "anon id", "device id", "deviceid", "client id", "cookie id", "distinct id"],
        "session_id": ["session id", "sessionid", "session", "visit id", "user session", "user session id"],
        "timestamp": ["timestamp", "event time", "event timestamp", "occurred at", "time", "datetime",
                      "created at", "date"],
        "event": ["event", "event name", "event type", "action", "step", "stage", "touchpoint", "activity"],
        "channel": ["channel", "source", "medium", "utm source", "traffic source", "utm medium"],
        "device": ["device", "device type", "device category"],
    },
    "baskets": {"basket_id": ["basket id", "basket", "transaction"], "product": ["item", "product"]},
}


#: the usual headers of German, French, Spanish, Dutch and Portuguese exports (normalised: accents dropped, so
#: "Quantité" is "quantite"), after the English synonyms of each canonical column
_FOREIGN_CUSTOMER = ["kundennummer", "kundennr", "kunden nr", "kunden id", "kundenid", "kunde", "debitor",
                     "debitorennummer", "numero client", "n client", "id client", "code client", "id cliente",
                     "numero de cliente", "codigo cliente", "cliente", "klantnummer", "klantnr", "klant id",
                     "klant", "e mail", "e mail adresse", "correo", "correo electronico",
                     # Portuguese
                     "codigo do cliente", "cod cliente", "id do cliente", "nome do cliente", "nome cliente",
                     "comprador"]
FOREIGN: dict[str, dict[str, list[str]]] = {
    "transactions": {
        "customer_id": _FOREIGN_CUSTOMER,
        "order_id": ["rechnungsnummer", "rechnungsnr", "rechnung", "bestellnummer", "bestellnr", "bestellung",
                     "auftragsnummer", "auftragsnr", "auftrag", "belegnummer", "belegnr", "beleg",
                     "numero de commande", "n commande", "no commande", "commande", "numero de facture",
                     "n facture", "facture", "numero de pedido", "n pedido", "pedido", "numero de factura",
                     "factura", "bestelnummer", "bestelling", "ordernummer", "factuurnummer", "factuur",
                     "numero do pedido", "id do pedido", "id pedido", "nota fiscal", "numero da nota", "id venda",
                     "id da venda"],
        "order_date": ["rechnungsdatum", "bestelldatum", "auftragsdatum", "belegdatum", "kaufdatum", "datum",
                       "date de commande", "date commande", "date de facture", "date facture", "date d achat",
                       "fecha de pedido", "fecha pedido", "fecha de factura", "fecha factura", "fecha de compra",
                       "fecha", "besteldatum", "orderdatum", "factuurdatum", "aankoopdatum",
                       "data da compra", "data de compra", "data compra", "data do pedido", "data pedido",
                       "data da venda", "data de venda", "data venda", "data da nota", "data de emissao"],
        "product": ["artikel", "artikelname", "artikelbezeichnung", "bezeichnung", "produkt", "produktname",
                    "artikelnummer", "produit", "nom du produit", "designation", "libelle", "producto",
                    "nombre del producto", "articulo", "descripcion", "productnaam", "omschrijving",
                    "produto", "nome do produto", "descricao do produto", "descricao"],
        "category": ["kategorie", "warengruppe", "produktkategorie", "categorie", "categoria", "productcategorie",
                     "categoria do produto"],
        "quantity": ["menge", "anzahl", "stuckzahl", "stueckzahl", "quantite", "qte", "cantidad", "unidades",
                     "aantal", "hoeveelheid", "quantidade", "qtd", "qtde"],
        "unit_price": ["einzelpreis", "stuckpreis", "stueckpreis", "preis", "prix unitaire", "prix",
                       "precio unitario", "precio", "stukprijs", "eenheidsprijs", "prijs", "preco unitario",
                       "valor unitario", "preco"],
        "amount": ["betrag", "umsatz", "gesamtbetrag", "gesamtpreis", "summe", "nettobetrag", "bruttobetrag",
                   "rechnungsbetrag", "montant", "montant ttc", "montant ht", "montant total", "chiffre d affaires",
                   "importe", "importe total", "monto", "ventas", "bedrag", "totaalbedrag", "omzet", "totaal",
                   "valor", "valor total", "valor da venda", "valor de venda", "valor venda", "valor do pedido",
                   "valor da compra", "total da venda", "faturamento", "receita"],
        "cost": ["kosten", "wareneinsatz", "einkaufskosten", "cout", "cout total", "coste", "costo", "kostprijs totaal",
                 "custo", "custo total"],
        "unit_cost": ["einstandspreis", "einkaufspreis", "stuckkosten", "prix d achat", "cout unitaire",
                      "precio de compra", "coste unitario", "costo unitario", "inkoopprijs", "kostprijs"],
        "discount": ["rabatt", "nachlass", "remise", "descuento", "korting", "desconto"],
        "profit": ["gewinn", "rohertrag", "deckungsbeitrag", "marge", "benefice", "beneficio", "margen", "winst",
                   "lucro", "margem"],
        "refund": ["erstattung", "erstatteter betrag", "gutschrift", "remboursement", "montant rembourse",
                   "reembolso", "importe reembolsado", "terugbetaling", "terugbetaald bedrag"],
        "channel": ["kanal", "vertriebskanal", "canal", "canal de vente", "canal de venta", "kanaal", "verkoopkanaal",
                    "canal de venda"],
        "region": ["bundesland", "provinz", "departement", "provincia", "comunidad autonoma", "regio", "provincie",
                   "estado cliente", "estado do cliente", "uf"],
        "country": ["land", "pays", "pais"],
        "status": ["bestellstatus", "zahlungsstatus", "statut", "estado", "bestelstatus", "status do pedido",
                   "situacao"],
    },
    "customers": {
        "customer_id": _FOREIGN_CUSTOMER,
        "signup_date": ["anmeldedatum", "registrierungsdatum", "registriert am", "kunde seit", "erstellt am",
                        "date d inscription", "date inscription", "date de creation", "client depuis",
                        "fecha de alta", "fecha de registro", "fecha alta", "cliente desde", "aanmelddatum",
                        "registratiedatum", "klant sinds", "data de cadastro", "data cadastro"],
        "age": ["alter", "age", "edad", "leeftijd", "idade"],
        "gender": ["geschlecht", "anrede", "sexe", "genre", "sexo", "genero", "geslacht"],
        "country": ["land", "pays", "pais"],
        "region": ["bundesland", "provinz", "departement", "provincia", "regio", "provincie", "estado cliente",
                   "estado do cliente", "uf"],
        "city": ["stadt", "ort", "wohnort", "ville", "ciudad", "localidad", "stad", "plaats", "woonplaats",
                 "cidade", "cidade cliente", "cidade do cliente", "municipio"],
        "industry": ["branche", "secteur", "secteur d activite", "sector", "industrie", "setor", "ramo"],
        "company_size": ["mitarbeiter", "mitarbeiterzahl", "anzahl mitarbeiter", "effectif", "empleados",
                         "medewerkers", "aantal medewerkers"],
        "segment": ["kundensegment", "kundengruppe", "segment client", "segmento", "klantsegment",
                    "segmento do cliente"],
        "contract": ["vertrag", "vertragsart", "tarif", "contrat", "type de contrat", "contrato", "abonnement",
                     "contract type"],
        "churned": ["gekundigt", "gekuendigt", "abgewandert", "resilie", "baja", "opgezegd"],
    },
}
for _role, _cols in FOREIGN.items():
    for _canonical, _headers in _cols.items():
        SYNONYMS[_role][_canonical] = SYNONYMS[_role][_canonical] + [
            h for h in _headers if h not in SYNONYMS[_role][_canonical]]

#: the English a question says for the words of a column named in German, French, Spanish, Dutch or
#: Portuguese and kept as an attribute (normalised, accents dropped): "by store" names "Nome Loja",
#: "top 5 brands" names "Marca", "customer type" names "Tipo Cliente" (``slots.column_pattern``);
#: regular-expression alternatives
COLUMN_GLOSS: dict[str, str] = {
    **dict.fromkeys(("loja", "tienda", "laden", "filiale", "magasin", "boutique", "winkel"), r"stores?|shops?"),
    **dict.fromkeys(("marca", "marke", "marque", "merk"), r"brands?|makes?"),
    **dict.fromkeys(("carro", "coche", "wagen", "voiture", "veiculo", "vehiculo", "fahrzeug"), r"cars?|vehicles?"),
    **dict.fromkeys(("modelo", "modell", "modele", "model"), r"models?"),
    **dict.fromkeys(("cor", "farbe", "couleur", "kleur"), r"colou?rs?"),
    **dict.fromkeys(("cidade", "ciudad", "stadt", "ville", "stad", "ort", "wohnort", "localidad", "plaats",
                     "woonplaats", "municipio", "localite"), r"city|cities|towns?"),
    **dict.fromkeys(("firma", "empresa", "entreprise", "societe", "bedrijf", "unternehmen"), r"compan(?:y|ies)|business\w*"),
    **dict.fromkeys(("artikel", "article", "articulo", "artigo"), r"products?|items?|articles?"),
    **dict.fromkeys(("warengruppe", "produktgruppe", "artikelgruppe", "famille", "familia", "rubrik"),
                    r"categor(?:y|ies)|product\s+groups?"),
    **dict.fromkeys(("menge", "anzahl", "quantite", "cantidad", "quantidade", "aantal"), r"quantit(?:y|ies)|units?"),
    **dict.fromkeys(("rabatt", "remise", "descuento", "desconto", "korting"), r"discounts?"),
    **dict.fromkeys(("bundesland", "provinz", "provincia", "provincie", "departement"), r"states?|provinces?|regions?"),
    **dict.fromkeys(("ansprechpartner", "contacto", "contato", "contactpersoon"), r"contacts?"),
    # a household's dependents in everyday words ("customers with kids", "no partner and no children")
    "dependents": r"dependants?|kids?|children|child",
    **dict.fromkeys(("estado",), r"states?|status"),
    **dict.fromkeys(("idade", "edad", "alter", "leeftijd"), r"ages?"),
    **dict.fromkeys(("cliente", "kunde", "kunden", "klant"), r"customers?|clients?"),
    **dict.fromkeys(("tipo", "typ", "soort"), r"types?|kinds?"),
    **dict.fromkeys(("ano", "jahr", "annee", "jaar"), r"years?"),
    **dict.fromkeys(("valor", "wert", "valeur", "waarde"), r"values?|prices?"),
    **dict.fromkeys(("emprestimo", "prestamo", "kredit", "pret", "lening", "financiamento", "financiacion"),
                    r"loans?|financ\w*|credit"),
    **dict.fromkeys(("vendedor", "verkaufer", "vendeur", "verkoper"), r"sellers?|sales\s?(?:persons?|people|reps?)"),
    **dict.fromkeys(("produto", "producto", "produkt", "produit"), r"products?"),
    **dict.fromkeys(("categoria", "kategorie", "categorie"), r"categor(?:y|ies)"),
    **dict.fromkeys(("pais", "land", "pays"), r"country|countries"),
    **dict.fromkeys(("genero", "sexo", "geschlecht", "sexe", "geslacht"), r"genders?|sex"),
    **dict.fromkeys(("canal", "kanal", "kanaal"), r"channels?"),
    **dict.fromkeys(("pagamento", "pago", "zahlung", "zahlungsart", "paiement", "betaling"), r"payments?"),
    **dict.fromkeys(("portas", "puertas", "turen", "portes", "deuren"), r"doors?"),
    **dict.fromkeys(("vendido", "vendida", "verkauft", "vendu", "verkocht"), r"sold"),
    **dict.fromkeys(("preco", "precio", "preis", "prix", "prijs"), r"prices?"),
    **dict.fromkeys(("cargo", "beruf", "profissao", "profesion", "metier", "beroep"), r"jobs?|occupations?|roles?"),
    **dict.fromkeys(("escolaridade", "educacion", "bildung", "opleiding"), r"education"),
    **dict.fromkeys(("renda", "ingresos", "einkommen", "revenu", "inkomen", "salario", "gehalt", "salaire"),
                    r"incomes?|salar(?:y|ies)"),
}
#: the key words of a column's name, which a question may leave out: "by store" for "store_name" or
#: "Nome Loja", never for a name whose other word is itself a word every question says ("customer")
COLUMN_KEY_WORDS = frozenset({"name", "nome", "nombre", "nom", "naam", "id", "code", "codigo", "number", "numero"})
#: the prepositions in a Romance column's name ("Ano do Carro": the car's year), left out
COLUMN_PREPOSITIONS = frozenset({"do", "da", "dos", "das", "de", "del", "du", "des", "di", "della", "of", "van", "der"})


@dataclass(frozen=True)
class Layout:
    """A known export layout, told by a few signature headers (normalised, all present). In it,
    ``prefer`` headers win over the general priority order, and ``order_totals`` are order-level
    amounts (on every line, or only on an order's first line): where the file has quantity and unit
    price per line, amount is derived per line instead, so products are not credited with whole
    orders and an order total is never summed once per line. ``order_level`` discount and refund
    columns hold the whole order's figure (on its first line): it is shared out over the order's
    lines in proportion to their value."""

    name: str
    signature: frozenset[str]
    prefer: dict[str, list[str]] = field(default_factory=dict)
    order_totals: frozenset[str] = frozenset()
    order_level: frozenset[str] = frozenset()
    #: the amount is before the discount column (which is then taken off it)
    amount_before_discount: bool = False


LAYOUTS: tuple[Layout, ...] = (
    # Name is the order ("#1001"); Id is on the first line only. Created at is on every line, Paid at
    # is empty until paid. Total/Subtotal are on the order's first line only.
    Layout("Shopify orders", frozenset({"name", "financial status", "lineitem quantity", "lineitem price"}),
           {"order_id": ["name"], "order_date": ["created at"], "customer_id": ["email"]},
           frozenset({"total", "subtotal"}), frozenset({"discount amount", "refunded amount"})),
    # Amazon Seller Central's All Orders report: item-price is the line's total (quantity x price, before the
    # promotion), item-promotion-discount the line's promotion (written negative); buyers are hidden
    Layout("Amazon All Orders", frozenset({"amazon order id", "item price", "item promotion discount"}),
           {"order_id": ["amazon order id"], "amount": ["item price"], "discount": ["item promotion discount"],
            "order_date": ["purchase date"], "status": ["order status"], "channel": ["sales channel"]},
           amount_before_discount=True),
)

#: order-level totals in any layout: with quantity and unit price per line they are not the line's amount
ORDER_TOTALS = frozenset({"order total", "order total amount", "order amount", "order value", "order subtotal",
                          "order total inc tax", "order total incl tax", "subtotal"})


def layout_of(columns: list[str]) -> Layout | None:
    norm = {normalise(c) for c in columns}
    return next((lay for lay in LAYOUTS if lay.signature <= norm), None)


def order_total_column(columns: list[str]) -> str | None:
    """The column holding the order's total in a line-item file (Shopify's Total, WooCommerce's
    Order Total Amount), for saying why amount was derived per line instead."""
    layout = layout_of(columns)
    totals = ORDER_TOTALS | (layout.order_totals if layout else frozenset())
    return next((c for c in columns if normalise(c) in totals and normalise(c) != "subtotal"), None) or \
        next((c for c in columns if normalise(c) in totals), None)


#: canonical columns that decide a role, with their weights; a role needs its ``REQUIRED`` ones
ROLE_WEIGHTS: dict[str, dict[str, float]] = {
    "transactions": {"order_date": 2, "amount": 2, "quantity": 1.5, "unit_price": 1.5, "order_id": 1.5,
                     "product": 1, "customer_id": 1, "cost": 0.5, "unit_cost": 0.5, "discount": 0.5, "refund": 0.5,
                     "status": 0.5},
    "customers": {"customer_id": 1, "signup_date": 1, "age": 1.5, "gender": 1.5, "city": 1, "industry": 1,
                  "company_size": 1.5, "segment": 1, "contract": 1.5, "churned": 2, "country": 0.5},
    "feedback": {"score": 2.5, "text": 2.5, "date": 0.5, "topic": 1, "customer_id": 0.5},
    "events": {"event": 2.5, "timestamp": 1, "session_id": 2, "device": 1.5, "customer_id": 0.5},
}
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "transactions": [("order_date",), ("amount", "unit_price", "quantity")],
    "customers": [("customer_id",)],
    "feedback": [("score", "text")],
    "events": [("event",), ("timestamp",)],
}
FILENAME_HINTS: dict[str, tuple[str, ...]] = {
    "transactions": ("order", "sale", "transaction", "invoice", "purchase", "payment", "retail",
                     "opportunit", "deal", "line", "cdnow", "bestell", "rechnung", "umsatz", "verkauf", "auftrag",
                     "commande", "vente", "factur", "pedido", "venta", "factuur", "verkoop"),
    "customers": ("customer", "contact", "account", "client", "member", "user", "churn", "crm", "kunde",
                  "klant", "adress"),
    "feedback": ("feedback", "review", "survey", "nps", "ticket", "comment", "complaint", "csat"),
    "events": ("event", "touchpoint", "session", "click", "web", "journey", "funnel", "visit"),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)


def normalise(header: str) -> str:
    """'Lineitem quantity' -> 'lineitem quantity'; 'Created (UTC)' -> 'created utc'; 'InvoiceNo' -> 'invoiceno';
    accents dropped: 'Quantité' -> 'quantite', 'Stückzahl' -> 'stuckzahl', 'Straße' -> 'strasse'."""
    text = unicodedata.normalize("NFKD", str(header).lower().replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return rx.sub(r"[^a-z0-9]+", " ", text).strip()


def snake(header: str) -> str:
    """A SQL-friendly name for columns passed through as extra attributes, words kept apart however
    the export joined them: "Senior Citizen", "senior_citizen" and "SeniorCitizen" are all
    "senior_citizen", so a question's words find it."""
    name = normalise(rx.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(header))).replace(" ", "_") or "column"
    return name if not name[0].isdecimal() else f"c_{name}"


@dataclass
class Match:
    column: str  # source column
    reason: str  # "header 'Total'", "value pattern: YYYYMMDD integers", "override"


@dataclass
class Inference:
    role: str | None
    role_reason: str
    mapping: dict[str, Match] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)


#: the words a header may start with to say what its row is, before a synonym: a ticket's or a
#: customer's "Satisfaction Rating", "Description", "Subject", "Gender" (only where a row is one
#: customer or one answer: in sales lines "Customer Status" is no order status)
QUALIFIERS: dict[str, frozenset[str]] = {
    "feedback": frozenset({"ticket", "case", "customer", "client", "survey", "feedback", "response", "complaint"}),
    "customers": frozenset({"customer", "client"}),
}


def match_headers(columns: list[str], role: str) -> dict[str, Match]:
    """Map canonical columns of ``role`` to source columns by header synonyms (and the preferences
    of a known export layout, see ``LAYOUTS``)."""
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(normalise(col), col)
    # headers whose words the export ran together, in capitals or not ("CUSTOMERNAME", "ORDERNUMBER",
    # "PRODUCTLINE", "QUANTITYORDERED": the Kaggle sample sales export), found by the synonym's
    # words run together too; a header spelt with its words apart is taken first
    squashed: dict[str, str] = {}
    for norm, col in by_norm.items():
        squashed.setdefault(norm.replace(" ", ""), col)
    # a header that says its currency ("amount_usd", "Revenue (EUR)", "Total in GBP", "usd_value"): the
    # synonym without it, after every header said whole
    priced: dict[str, str] = {}
    for norm, col in by_norm.items():
        if (bare := CURRENCY_SAID.sub("", norm).strip()) and bare != norm:
            priced.setdefault(bare, col)
    layout = layout_of(columns) if role == "transactions" else None
    used: set[str] = set()
    mapping: dict[str, Match] = {}
    # a header that says what the row is before the synonym ("Customer Satisfaction Rating", "Ticket
    # Description", "Customer Gender": the Kaggle support tickets), read by the synonym after that word,
    # after every header said whole; never a bare key word ("Ticket ID", "Customer Name")
    qualified: dict[str, str] = {}
    if role in QUALIFIERS:
        for norm, col in by_norm.items():
            first, _, rest = norm.partition(" ")
            if first in QUALIFIERS[role] and rest and rest not in _KEY_WORDS and rest not in by_norm:
                qualified.setdefault(rest, col)
    # a header the layout gives to one canonical column is no other's (Amazon's item-price is the line's amount)
    claimed = {syn: c for c, syns in layout.prefer.items() for syn in syns} if layout else {}
    for canonical in CANONICAL[role]:
        preferred = layout.prefer.get(canonical, []) if layout else []
        for syn in preferred + SYNONYMS[role].get(canonical, []):
            if claimed.get(syn, canonical) != canonical:
                continue
            col = by_norm.get(syn)
            if col is None and " " in syn:
                col = squashed.get(syn.replace(" ", ""))
            if col is None and canonical in MONEY_COLUMNS:
                col = priced.get(syn)
            if col is not None and col not in used:
                why = f" ({layout.name} layout)" if syn in preferred else ""
                mapping[canonical] = Match(col, f"header {col!r}{why}")
                used.add(col)
                break
        else:
            col = next((qualified[syn] for syn in SYNONYMS[role].get(canonical, [])
                        if syn in qualified and qualified[syn] not in used), None)
            if col is not None:
                mapping[canonical] = Match(col, f"header {col!r}")
                used.add(col)
    if role == "transactions" and not {"amount", "unit_price"} & set(mapping):
        # "Valor do Carro", "Precio del producto", "Montant de la vente": the value of what was sold, said
        # as "value of X" in a Romance language, is the sale's amount when no header names it whole
        money = [col for norm, col in by_norm.items() if col not in used and (m := VALUE_OF.fullmatch(norm))
                 and not set(m.group("what").split()) & NOT_THE_SALE_VALUE]
        if len(money) == 1:
            mapping["amount"] = Match(money[0], f"header {money[0]!r} (the value of what was sold)")
            used.add(money[0])
    if role == "transactions":
        for canonical, m in deal_columns(columns, mapping).items():
            if m.column not in used:
                if canonical in mapping:  # a deal's close date over its created date
                    used.discard(mapping[canonical].column)
                mapping[canonical] = m
                used.add(m.column)
    if role == "transactions" and "amount" in mapping and "quantity" in mapping and "unit_price" in mapping:
        totals = ORDER_TOTALS | (layout.order_totals if layout else frozenset())
        if normalise(mapping["amount"].column) in totals:
            del mapping["amount"]  # the Dataset derives amount = quantity x unit_price per line
    return mapping


#: the canonical columns that hold money, whose header may say its currency
MONEY_COLUMNS = frozenset({"amount", "unit_price", "cost", "unit_cost", "discount", "refund", "profit"})
#: a currency said in a header (normalised), first or last: "amount usd", "usd amount", "total in eur"
_CURRENCIES = (r"(?:usd|eur|gbp|inr|brl|cad|aud|nzd|jpy|cny|rmb|chf|sek|nok|dkk|pln|mxn|zar|sgd|hkd|krw|try|aed|sar|"
               r"idr|myr|php|thb|czk|huf|ron|clp|cop|ars|dollars?|euros?)")
CURRENCY_SAID = re.compile(rf"^{_CURRENCIES}\s+|\s+(?:in\s+)?{_CURRENCIES}$")
#: a Romance-language header "value of X" (normalised): "valor do carro", "precio del producto"
VALUE_OF = re.compile(r"(?:valor|preco|precio|importe|monto|montant|prix|valore|prezzo)\s+"
                      r"(?:do|da|dos|das|de|del|de la|du|des|di|della|dello|dei)\s+(?P<what>.+)")
#: what a "value of X" is not the sale's value for: freight, tax, discount, cost, a list price
NOT_THE_SALE_VALUE = {"frete", "envio", "entrega", "imposto", "impostos", "impuesto", "impuestos", "desconto",
                      "descuento", "remise", "custo", "coste", "costo", "cout", "tabela", "lista",
                      "livraison", "port", "taxa", "tasa", "taxe", "iva", "icms", "mercado", "spedizione"}

#: words of a CRM deal export's headers, read by meaning where no synonym names the column (the Maven
#: "CRM Sales Opportunities" export: opportunity_id, account, deal_stage, close_date, close_value)
DEAL_WORDS = {"deal", "deals", "opportunity", "opportunities", "opp", "opps", "pipeline"}
_DEAL_CUSTOMER = {"account", "company", "organisation", "organization", "org", "client"}
#: words that make a header about an account something else than the account (its owner, its size)
_NOT_THE_ACCOUNT = {"owner", "manager", "executive", "rep", "agent", "type", "industry", "size", "region",
                    "country", "city", "state", "tier", "segment", "source", "status", "stage", "revenue",
                    "employees", "created", "date"}
_KEY_WORDS = {"id", "name", "key", "number", "no", "code"}
_DEAL_MONEY = ("value", "amount", "revenue")
#: a deal's money that is not what it was closed at: a forecast, a weighting, a probability
_NOT_THE_DEAL_MONEY = {"expected", "weighted", "forecast", "forecasted", "probability", "potential", "target",
                       "quota", "budget", "list", "annual", "lifetime", "recurring", "monthly", "yearly"}
#: stage columns that are a contact's or a lead's, not a deal's (HubSpot contacts' "Lifecycle Stage")
_NOT_A_DEAL_STAGE = {"lifecycle", "lead", "contact", "customer"}


def is_deal_export(columns: list[str]) -> bool:
    """Headers of a CRM deal export: a stage column ("deal_stage", "Stage Name", "current stage") or a
    deal/opportunity id."""
    words = [normalise(c).split() for c in columns]
    return any("stage" in w and not set(w) & _NOT_A_DEAL_STAGE for w in words) or \
        any(set(w) & DEAL_WORDS and set(w) & _KEY_WORDS for w in words)


def deal_columns(columns: list[str], mapping: dict[str, Match]) -> dict[str, Match]:
    """The columns of a CRM deal export that no synonym names, by the meaning of their names: the
    account, company or organisation is the customer ("account", "company_name"), a *value / *amount
    / *revenue is the deal's money ("close_value", "won_amount"; not a forecast or weighted one), a
    *stage* column the status, a deal or opportunity id or name the order. Only where the headers
    are a deal export's (``is_deal_export``); the reason says each was read by meaning."""
    if not is_deal_export(columns):
        return {}
    used = {m.column for m in mapping.values()}
    free = [(c, normalise(c).split()) for c in columns if c not in used]
    out: dict[str, Match] = {}

    def take(canonical: str, found: list[tuple[str, list[str]]], why: str) -> None:
        if canonical not in mapping and found:
            col = found[0][0]
            out[canonical] = Match(col, f"header {col!r} ({why}, in a CRM deal export)")
            free[:] = [f for f in free if f[0] != col]

    take("status", [(c, w) for c, w in free if "stage" in w and not set(w) & _NOT_A_DEAL_STAGE], "a deal stage")
    dated = mapping.get("order_date")
    if dated is not None and not set(normalise(dated.column).split()) & {"close", "closed", "won", "closing"}:
        closes = [(c, w) for c, w in free if set(w) & {"closed", "close", "closing"} and set(w) & {"date", "at", "on",
                                                                                              "time", "day"}]
        if closes:  # "closed_at" beside "created_at": a deal is dated by its close
            out["order_date"] = Match(closes[0][0], f"header {closes[0][0]!r} (the deal's close date, in a CRM deal "
                                                    "export)")
            free[:] = [f for f in free if f[0] != closes[0][0]]
    take("order_id", sorted([(c, w) for c, w in free if set(w) & DEAL_WORDS and set(w) & _KEY_WORDS],
                            key=lambda f: "id" not in f[1]), "the deal's id")
    accounts = [(c, w) for c, w in free if set(w) & _DEAL_CUSTOMER and set(w) <= _DEAL_CUSTOMER | _KEY_WORDS]
    take("customer_id", sorted(accounts, key=lambda f: ("id" not in f[1], len(f[1]))), "the account the deal is of")
    money = [(c, w) for c, w in free if w and w[-1] in _DEAL_MONEY and not set(w) & _NOT_THE_DEAL_MONEY]
    take("amount", sorted(money, key=lambda f: not set(f[1]) & {"close", "closed", "won", "deal", "opportunity",
                                                                  "sale", "sales"}), "the deal's value")
    return out


def _satisfies(role: str, mapping: dict[str, Match]) -> bool:
    if role == "transactions" and (is_orders_without_amount(mapping) or is_item_lines(mapping)):
        return True
    return all(any(c in mapping for c in group) for group in REQUIRED.get(role, []))


def _says_order(match: Match | None, words: tuple[str, ...] = ("order",)) -> bool:
    return match is not None and any(w in normalise(match.column).split() or w in normalise(match.column)
                                     for w in words)


def is_orders_without_amount(mapping: dict[str, Match]) -> bool:
    """An orders table that has no amount (Olist's orders file: order id, customer id, status, a
    purchase date; the money is in another file): its headers name an order id ("order_id") and an
    order or purchase date ("order_purchase_timestamp") and a customer id. The words are required so
    that a contacts export's "Record ID" and "Create Date" do not make it one."""
    return (all(c in mapping for c in ("order_id", "order_date", "customer_id"))
            and not any(c in mapping for c in ("amount", "unit_price", "quantity"))
            and _says_order(mapping.get("order_id")) and _says_order(mapping.get("order_date"), ("order", "purchase")))


#: words of a header that name the order a line belongs to (not a bare "id" or "name")
ORDER_WORDS = ("order", "transaction", "receipt", "invoice", "basket")


def is_item_lines(mapping: dict[str, Match]) -> bool:
    """Lines of items sold without money (a till's export: date, transaction number, item; the Kaggle
    bakery "BreadBasket_DMS"): an order id whose header says order, transaction, receipt, invoice or
    basket, an order date and a product, and no amount, quantity or price. Sales all the same: they
    are counted as orders and items (each line one item, ``Dataset``), never as revenue."""
    return (all(c in mapping for c in ("order_id", "order_date", "product"))
            and not any(c in mapping for c in ("amount", "unit_price", "quantity"))
            and _says_order(mapping.get("order_id"), ORDER_WORDS))


def order_amounts(mapping: dict[str, Match]) -> tuple[str, str] | None:
    """(order id column, amount column) of a table of amounts keyed by order id and nothing else a
    role needs (Olist's payments: order_id, payment_sequential, payment_type, payment_value): no
    date and no customer. The Dataset sums its amounts per order and joins them to an orders table
    without an amount (``joins.link_amounts``)."""
    if "order_id" in mapping and "amount" in mapping and "order_date" not in mapping \
            and "customer_id" not in mapping and _says_order(mapping["order_id"]):
        return mapping["order_id"].column, mapping["amount"].column
    return None


#: headers that describe a person: a table of them without an id is a customers table, a row each
PERSON_HEADERS = frozenset({
    "age", "customer age", "gender", "sex", "job", "occupation", "profession", "marital", "marital status",
    "education", "education level", "income", "income category", "annual income", "dependents",
    "dependent count", "children", "kids", "birth year", "year birth", "date of birth", "dob", "married",
    "partner", "senior citizen", "seniorcitizen"})


#: headers of a web-analytics export of sessions (UCI Online Shoppers Purchasing Intention: VisitorType,
#: TrafficType, Browser, OperatingSystems, BounceRates, ExitRates, PageValues; a GA export's device
#: category, landing page, pageviews), by their letters (``normalise``, spaces dropped)
VISIT_HEADERS = frozenset({
    "visitortype", "visitor", "newvisitor", "returningvisitor", "traffictype", "trafficsource", "trafficchannel",
    "browser", "operatingsystem", "operatingsystems", "devicecategory", "bouncerate", "bouncerates", "bounced",
    "exitrate", "exitrates", "pagevalue", "pagevalues", "pageviews", "pagesviewed", "landingpage", "exitpage",
    "referrer", "sessionduration", "timeonsite", "timeonpage"})


def visit_headers(columns: list[str]) -> list[str]:
    """The headers among ``columns`` that describe web sessions (``VISIT_HEADERS``)."""
    return [c for c in columns if normalise(c).replace(" ", "") in VISIT_HEADERS]


#: first words of a header that make it a yes/no flag of the row ("is_canceled", "has_children", "was_upgraded")
FLAG_HEADER_WORDS = frozenset({"is", "has", "was", "did", "had"})


def record_flags(columns: list[str]) -> list[str]:
    """The headers among ``columns`` that read as a yes/no flag of the row's record ("is_canceled",
    "IsRepeatedGuest", "has_kids"): a first word of ``FLAG_HEADER_WORDS`` and at least one more."""
    out = []
    for c in columns:
        words = normalise(rx.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(c))).split()
        if len(words) >= 2 and words[0] in FLAG_HEADER_WORDS:
            out.append(c)
    return out


def infer_role(columns: list[str], filename: str = "") -> Inference:
    """Pick the role whose key columns the headers explain best (file-name words break ties).

    Transactions whose headers say everything but the date (``yyyymmdd``, ``Datum``, header-less
    dates) are left undecided (role None) with their mapping, when no other role explains the
    headers better: the Dataset then finds the date from the values and settles the role."""
    fname = filename.lower()
    best: Inference | None = None
    scores: dict[str, float] = {}
    dateless: tuple[float, dict[str, Match]] | None = None
    for role, weights in ROLE_WEIGHTS.items():
        mapping = match_headers(columns, role)
        score = sum(weights.get(c, 0.25) for c in mapping)
        hint = any(h in fname for h in FILENAME_HINTS[role])
        if hint:
            score += 1.5
        if role == "transactions" and "order_date" not in mapping and _satisfies(role, {**mapping, "order_date": None}):
            dateless = (score, mapping)
        if not _satisfies(role, mapping):
            score = min(score, 0.5) if not hint else score * 0.3
        scores[role] = round(score, 2)
        if _satisfies(role, mapping) and (best is None or score > scores[best.role]):
            found = ", ".join(m.column for m in mapping.values())
            reason = f"headers {found}" + (f" and the file name {filename!r}" if hint else "")
            best = Inference(role, reason, mapping)
    if dateless and (best is None or dateless[0] > scores[best.role]):
        found = ", ".join(m.column for m in dateless[1].values())
        return Inference(None, f"headers {found} look like transactions, but no header names the date", dateless[1],
                         scores)
    if best is None:
        people = [c for c in columns if normalise(c) in PERSON_HEADERS]
        if len(people) >= 2 and not any(c in match_headers(columns, "transactions") for c in ("amount", "order_date")):
            # one row per person without an id (UCI Bank Marketing: age, job, marital, education...)
            return Inference("customers", f"headers {', '.join(people[:5])} describe people, one per row (no id "
                             "column: each row is one customer)", match_headers(columns, "customers"), scores)
        churn = match_headers(columns, "customers").get("churned")
        if churn and len(columns) >= 4 and not any(c in match_headers(columns, "transactions")
                                                   for c in ("amount", "order_date")):
            # a churn table without an id (the BigML / Orange telecom churn: State, Account length, ...,
            # Churn): its accounts, one per row, with the flag and what may explain it
            return Inference("customers", f"header {churn.column} is a churn flag of records, one per row (no id "
                             "column: each row is counted as one customer)", match_headers(columns, "customers"), scores)
        flags = record_flags(columns)
        if flags and len(columns) >= 4 and not any(c in match_headers(columns, "transactions")
                                                   for c in ("amount", "order_date")):
            # one record per row without an id (Hotel booking demand: hotel, is_canceled, lead_time,
            # country, is_repeated_guest...): its yes/no flags and attributes are read a row each
            return Inference("customers", f"headers {', '.join(flags[:3])} are yes/no flags of records, one per row "
                             "(no id column: each row is counted as one customer)",
                             match_headers(columns, "customers"), scores)
        return Inference(None, "no role's key columns were recognised", {}, scores)
    best.scores = scores
    return best


def looks_like_email(values: list[str]) -> bool:
    vals = [v for v in values if v]
    return bool(vals) and sum(bool(_EMAIL.match(v)) for v in vals) >= 0.9 * len(vals)


def looks_like_yyyymmdd(values: list) -> bool:
    """8-digit integers that read as calendar dates (CDNOW's 19970101)."""
    vals = [str(v) for v in values if v is not None and str(v).strip()]
    if not vals:
        return False
    ok = 0
    for v in vals:
        if rx.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", v):
            ok += 1
    return ok >= 0.98 * len(vals)


# --- values ------------------------------------------------------------------------------

#: strptime formats tried on text date columns, in order of preference
DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%d/%m/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p",
    # two-digit years (10 -> 2010, 97 -> 1997: 69-99 are 19xx), with or without a time
    "%m/%d/%y", "%d/%m/%y", "%m/%d/%y %H:%M", "%d/%m/%y %H:%M", "%m/%d/%y %H:%M:%S", "%d/%m/%y %H:%M:%S",
    "%m/%d/%y %I:%M %p", "%m/%d/%y %I:%M:%S %p", "%d/%m/%y %I:%M %p", "%d/%m/%y %I:%M:%S %p",
    "%d.%m.%y", "%d.%m.%y %H:%M", "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
    "%d-%m-%Y", "%m-%d-%Y", "%d-%m-%Y %H:%M", "%m-%d-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%m-%d-%Y %H:%M:%S",
    # dashes with a two-digit year (Kaggle's Netflix userbase: 15-01-22), day or month first
    "%d-%m-%y", "%m-%d-%y", "%d-%m-%y %H:%M", "%m-%d-%y %H:%M", "%Y%m%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y",
    "%d-%b-%Y", "%d-%b-%y",
    # a ticketing or booking tool's "Mar 14, 2024 10:22 AM", "14 Mar 2024 10:22"
    "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y %H:%M", "%b %d, %Y %H:%M:%S",
    "%d %b %Y %H:%M", "%d %b %Y %H:%M:%S", "%d %B %Y %H:%M",
    # a year and month alone (a monthly panel's "2024-03"): its first day
    "%Y-%m",
)

#: truthy/falsy spellings of a yes/no column (churn flags and the like)
#: the two values of a yes/no column (yes first), in English and in the languages of ``FOREIGN``
#: (a Brazilian export's Empréstimo of Sim/Não, a German Ja/Nein)
YES_NO_PAIRS = (("yes", "no"), ("true", "false"), ("y", "n"), ("sim", "não"), ("sim", "nao"), ("sí", "no"),
                ("si", "no"), ("ja", "nein"), ("oui", "non"), ("ja", "nee"))
TRUE_WORDS = {"1", "true", "t", "yes", "y", "churned", "churn", "left", "lost", "inactive", "cancelled",
              "canceled", "exited", "closed", "attrited", *(yes for yes, _ in YES_NO_PAIRS)}
FALSE_WORDS = {"0", "false", "f", "no", "n", "active", "retained", "stayed", "current", "open", "existing",
               *(no for _, no in YES_NO_PAIRS)}
#: the true words that say a customer was lost (not a bare yes/1): a two-valued column reading as a flag
#: with one of them is a churn flag whatever its header (the Kaggle table's "Attrited Customer")
CHURN_WORDS = {"churned", "churn", "left", "lost", "cancelled", "canceled", "exited", "closed", "attrited"}
#: the nouns a status value may carry: "Attrited Customer", "Existing Customer", "closed account" read
#: as their word alone
FLAG_NOUNS = ("customer", "customers", "client", "clients", "account", "accounts", "member", "members", "user",
              "users", "subscriber", "subscribers")


def flag_spellings(words: set[str]) -> list[str]:
    """Every spelling of ``words`` a flag column may hold: each word alone, and each word of letters
    with a noun after or before it ("attrited customer", "customer existing")."""
    out = set(words)
    for w in words:
        if w.isalpha() and len(w) > 1:
            out |= {f"{w} {n}" for n in FLAG_NOUNS} | {f"{n} {w}" for n in FLAG_NOUNS}
    return sorted(out)


#: a customer status of at most this many values may be a churn flag (Chargebee: active, non_renewing, cancelled)
STATUS_VALUES = 6


def churn_status(values) -> bool:
    """Whether the distinct ``values`` of a column are a customer status that says who churned: more than
    a yes and a no, at most ``STATUS_VALUES``, one of them a churn word ("cancelled", "churned") and one
    read as not churned ("active"). Read as a flag, a churned value is true and every other false
    (``column_sql.flag_expression``): "non_renewing" and "paused" have not left yet."""
    values = {" ".join(str(v).strip().lower().split()) for v in values if str(v).strip()}
    read = {v: flag_reading(v) for v in values}
    return 2 < len(values) <= STATUS_VALUES and False in read.values() and any(
        r and set(v.split()) & CHURN_WORDS for v, r in read.items())


def flag_reading(value) -> bool | None:
    """True, False, or None (not a flag spelling) for one value, as ``column_sql.flag_expression`` reads it."""
    v = " ".join(str(value).strip().lower().split())
    return True if v in flag_spellings(TRUE_WORDS) else False if v in flag_spellings(FALSE_WORDS) else None

#: order statuses that say the money went back: the order is a refund, not a sale (overview's refunds)
REFUND_STATUS = {"refunded", "returned", "chargeback", "disputed", "wc-refunded",
                 # an ERP's invoice credited in full (a credit note issued against it)
                 "credited", "credit note", "credit memo", "gutgeschrieben", "gutschrift", "avoir",
                 # a German, French, Spanish, Portuguese, Italian or Dutch shop's ("Retoure", "Remboursé")
                 "retoure", "retourniert", "zuruckgesendet", "zurückgesendet", "erstattet", "ruckerstattet",
                 "rückerstattet", "rembourse", "remboursé", "remboursee", "remboursée", "retourne", "retourné",
                 "devuelto", "devuelta", "reembolsado", "reembolsada", "devolvido", "devolvida", "reso",
                 "rimborsato", "geretourneerd", "terugbetaald"}
#: words inside a status that say the same ("Returned to Seller", "Returning to Seller", "Rejected by Buyer",
#: "return_requested"), unless it says the refund was partial (that order stays a sale with a refund)
REFUND_STATUS_WORDS = ("return", "refund", "rejected by buyer", "rejected by customer", "chargeback",
                       "retour", "erstatt", "rembours", "devuel", "devoluc", "devoluç", "reembols", "devolvid",
                       "rimbors", "terugbetaal")
#: order statuses that are neither a sale nor a refund: the payment never completed (voided,
#: pending, only authorised, failed, abandoned, cancelled before payment), or a lost deal
VOID_STATUS = {"cancelled", "canceled", "voided", "void", "failed", "declined", "closed lost",
               "closedlost", "lost", "draft", "abandoned", "pending", "unpaid", "expired",
               # Shopify's financial status: authorised but never captured
               "authorized", "authorised",
               # WooCommerce (labels and wc- slugs); on hold is awaiting payment
               "pending payment", "wc-pending", "wc-cancelled", "wc-failed", "checkout draft",
               "checkout-draft", "wc-checkout-draft", "trash", "on-hold", "on hold", "wc-on-hold",
               # Stripe payments
               "uncaptured", "blocked", "incomplete", "requires payment method", "requires action",
               # Olist: the order could not be fulfilled (the product was unavailable)
               "unavailable",
               # a monthly snapshot's row of the month an account left (status Churned): no revenue that month
               "churned",
               # an order the shop rejected (not the buyer's "Rejected by Buyer", a return: REFUND_STATUS_WORDS)
               "rejected", "denied",
               # a payment taken back by the buyer's bank (PayPal's Reversed): no sale, and the money back is a
               # row of its own where the export writes one ("Payment Reversal")
               "reversed",
               # the same in a German, French, Spanish, Portuguese, Italian or Dutch shop's export ("Storniert")
               "storniert", "storno", "abgebrochen", "fehlgeschlagen", "ausstehend", "unbezahlt", "abgelehnt",
               "annule", "annulé", "annulee", "annulée", "echoue", "échoué", "en attente", "impaye", "impayé",
               "cancelado", "cancelada", "anulado", "anulada", "fallido", "pendiente", "rechazado",
               "pendente", "recusado", "annullato", "annullata", "fallito", "in attesa",
               "geannuleerd", "mislukt", "afgewezen", "in afwachting",
               # an appointments export: the client never came or called it off (no money taken)
               "no-show", "no show", "noshow", "no-showed", "did not attend", "dna", "cancelled by client",
               "canceled by client", "cancelled by customer", "canceled by customer", "cancelled by staff",
               "canceled by staff", "cancelled by business", "late cancel", "late cancellation"}
#: order statuses that are not purchases (set apart and counted, never summed as sales)
NOT_PURCHASE = REFUND_STATUS | VOID_STATUS
#: an events export's event types that are a sale (REES46's "purchase", GA4's "purchase", Segment's "Order
#: Completed"), compared lower-case with "_" and "-" as spaces: those rows are the shop's sales, every other
#: event (view, cart, remove_from_cart) none (``Dataset._purchase_events``)
PURCHASE_EVENTS = {"purchase", "purchased", "order", "order completed", "order placed", "completed order",
                   "checkout completed", "completed checkout", "completed purchase", "purchase completed",
                   "transaction", "buy", "bought", "sale"}


#: a money export's column saying what each row is (PayPal's "Type": "Website Payment", "Payment Refund",
#: "General Currency Conversion", "General Withdrawal"; Stripe's balance "Type": charge, refund, payout,
#: stripe_fee), by its normalised header (``entry_kind``)
ENTRY_TYPE_HEADERS = {"type", "transaction type", "txn type", "entry type", "record type", "activity type", "event type",
                      "transaction event", "movement type", "line type", "kind", "transaction kind",
                      "reporting category", "balance type"}
#: words of such a row's type, tried in this order: a fee of any kind (a "Chargeback Fee") is the shop's own
#: cost, then the money going back, then the shop's own money moving (no customer bought anything), then a sale
ENTRY_KIND_WORDS = (
    ("other", re.compile(r"fee")),
    ("refund", re.compile(r"refund|return|charge ?back|reversal|reversed|credit (?:note|memo)|dispute|storno|"
                          r"erstatt|rembours|reembols|devoluc")),
    ("other", re.compile(r"withdraw|transfer|conversion|currency|payout|pay out|deposit|hold|release|reserve|"
                         r"adjust|top ?up|interest|\btax|bank|\bsent|cash ?back|loan|expense|reimburse|"
                         r"authori[sz]ation|\bvoid")),
    ("sale", re.compile(r"payment|sale|charge|purchase|order|checkout|received|subscription|donation|invoice")),
)


def entry_kind(value: str) -> str | None:
    """What a row is by the value of its type column (``ENTRY_TYPE_HEADERS``): "sale", "refund" or
    "other" (the shop's own money: a withdrawal, a currency conversion, a fee), None for a word none
    of ``ENTRY_KIND_WORDS`` says."""
    low = normalise(value)
    return next((kind for kind, words in ENTRY_KIND_WORDS if words.search(low)), None)


def purchase_event_sql(expr: str) -> str:
    """SQL of whether an event column's value is a purchase (``PURCHASE_EVENTS``, compared lower case with
    "_" and "-" as spaces)."""
    said = ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(PURCHASE_EVENTS))
    return f"regexp_replace(lower(trim(CAST({expr} AS VARCHAR))), '[_-]+', ' ', 'g') IN ({said})"
