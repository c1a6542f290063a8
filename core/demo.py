"""A seeded, reproducible demo online store (customers, order lines, feedback, web sessions).

``generate(customers, seed)`` returns a :class:`DemoStore` whose ``tables`` look like shop exports and
whose ``truth`` holds the structure planted in them, so tests can check that analyses find it.
``write(store, directory, format)`` saves the tables as CSV + Excel or as Parquet. Everything is
vectorised numpy: one million customers (about ten million order lines) take well under a minute.
Same seed, same arguments -> identical tables; nothing depends on the clock.

Planted patterns (dates are for the default window 2023-01-01 .. 2025-12-31; for another window
they move proportionally):

1. Segments (truth["segments"]: customer_id, segment). Five behavioural groups, well apart in
   log recency / frequency / monetary (k-means on standardised log R, F, M recovers them with an
   adjusted Rand index of about 0.6-0.75): "vip" (an order every ~6 weeks, expensive products, by
   far the highest spend, recent), "regular" (an order every ~3 months, medium baskets), "bargain"
   (an order every ~3-4 weeks, a single cheap item, mostly discounted), "one_time" (exactly one
   order) and "lapsed" (see 3).
2. Bundles (truth["bundles"]): ("Espresso Machine", "Coffee Grinder"), ("Yoga Mat", "Yoga Block",
   "Resistance Bands") and ("Running Shoes", "Sports Socks") are bought together in the same order
   far more often than chance: every pair in them has lift above 5 and a support of 2-4% of
   orders, so they are the top pairs by lift x support.
3. Churn (truth["churned"]): the "lapsed" customers (about 10%) ordered monthly, 5 to 10 times,
   then stopped: their last order is at least 8 months before the end, so they have no order (and
   no return) in the last 6 months. Hardly anyone else looks like that.
4. Cohorts (truth["cohorts"]): customers acquired since 2024-03-01 are less often one-time buyers
   (45% of would-be one-time buyers become regulars, while before the split 35% of would-be
   regulars buy only once) and their repeat buyers order 1/0.7 times as often. So month-3
   retention (share of a first-order-month cohort ordering in the 3rd calendar month after it) is
   about 10 points higher than for the 2023 cohorts; the realised numbers are in the dict.
5. Loss makers (truth["loss_makers"]): about 4% of customers (from "regular" and "bargain") get
   60-80% discounts on every line and return about 15% of their lines (others 0.3%), so their profit
   (sum amount - sum cost, returns included) is negative. Everyone else has profit >= 0.
6. Complaint theme (truth["complaint_theme"]): "late delivery" comments (late parcels, delays,
   the courier; regex in the dict) with scores 0-4 concentrate in Germany (Europe) from
   2024-10-01 to 2025-01-31, where they are about two thirds of the feedback; elsewhere they are
   under 1%.
7. Funnel drop-off (truth["dropoff"]): sessions run visit -> product_view -> add_to_cart ->
   checkout -> purchase; 12-15% are lost at each step except checkout -> purchase, where 65% are
   lost: the biggest drop, both in sessions lost and in rate.

Returns are lines of their own order ("R0000001"...) with negative quantity, amount and cost;
their unit_price is the net unit price paid and their discount is 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

PLANTED = __doc__[__doc__.index("Planted patterns"):] if __doc__ else ""  # (docstrings dropped under -OO)

# --- catalogues ------------------------------------------------------------------------------
# category: (cost as a share of price, [(product, list price), ...]); earlier products sell more
CATALOGUE = {
    "Coffee": (0.55, [("Espresso Machine", 349.0), ("Coffee Grinder", 89.0), ("Coffee Beans House Blend", 12.9),
                      ("Coffee Beans Espresso Blend", 24.9), ("Milk Frother", 39.9), ("French Press", 29.9),
                      ("Pour-Over Kettle", 44.9), ("Travel Mug", 19.9), ("Paper Filters", 4.9), ("Descaling Tablets", 7.9)]),
    "Kitchen": (0.55, [("Chef's Knife", 79.0), ("Cutting Board", 24.9), ("Cast Iron Skillet", 49.9), ("Nonstick Pan", 34.9),
                       ("Blender", 89.9), ("Stand Mixer", 299.0), ("Kitchen Scale", 24.9), ("Spice Rack", 29.9),
                       ("Measuring Cups", 14.9), ("Silicone Spatula Set", 12.9)]),
    "Fitness": (0.50, [("Yoga Mat", 39.9), ("Yoga Block", 12.9), ("Resistance Bands", 19.9), ("Dumbbell Set", 89.0),
                       ("Kettlebell", 49.9), ("Foam Roller", 24.9), ("Jump Rope", 9.9), ("Protein Shaker", 8.9),
                       ("Fitness Tracker", 129.0), ("Gym Towel", 14.9)]),
    "Outdoor": (0.55, [("Running Shoes", 119.0), ("Sports Socks", 12.9), ("Water Bottle", 19.9), ("Hiking Backpack", 89.9),
                       ("Rain Jacket", 99.0), ("Headlamp", 29.9), ("Camping Tent", 199.0), ("Sleeping Bag", 79.9),
                       ("Trekking Poles", 59.9), ("Picnic Blanket", 34.9)]),
    "Electronics": (0.70, [("Wireless Earbuds", 79.0), ("Phone Charger", 19.9), ("USB-C Cable", 9.9), ("Power Bank", 39.9),
                           ("Bluetooth Speaker", 59.9), ("Smart Watch", 199.0), ("Noise-Cancelling Headphones", 249.0),
                           ("E-Reader", 139.0), ("Laptop Stand", 44.9), ("Webcam", 69.9)]),
    "Books": (0.60, [("Home Barista Handbook", 22.9), ("Everyday Italian Cookbook", 24.9), ("The Quiet Shore", 14.9),
                     ("Night Train Mystery", 13.9), ("Yoga for Beginners", 16.9), ("Mindful Running", 18.9),
                     ("Travel Guide Japan", 21.9), ("Gardening Basics", 19.9), ("Business Strategy Essentials", 29.9),
                     ("Picture Book Bedtime Stories", 12.9)]),
    "Beauty": (0.45, [("Face Moisturizer", 29.9), ("Shampoo", 9.9), ("Conditioner", 9.9), ("Sunscreen SPF 50", 16.9),
                      ("Vitamin C Serum", 34.9), ("Lip Balm", 4.9), ("Hand Cream", 7.9), ("Electric Toothbrush", 59.9),
                      ("Hair Dryer", 69.9), ("Perfume", 79.0)]),
    "Home": (0.50, [("Scented Candle", 19.9), ("Throw Blanket", 49.9), ("Desk Lamp", 39.9), ("Bath Towel Set", 39.9),
                    ("Bed Linen Set", 69.9), ("Storage Baskets", 24.9), ("Picture Frame", 14.9), ("Wall Clock", 29.9),
                    ("Plant Pot", 17.9), ("Doormat", 22.9)]),
    "Pet": (0.58, [("Dog Food 12kg", 49.9), ("Cat Litter", 14.9), ("Pet Treats", 6.9), ("Dog Leash", 19.9),
                   ("Pet Bed", 44.9), ("Cat Scratching Post", 34.9), ("Chew Toy", 8.9), ("Pet Shampoo", 11.9),
                   ("Food Bowl Set", 16.9), ("Cat Food 24 Cans", 27.9)]),
}
BUNDLES = [("Espresso Machine", "Coffee Grinder"), ("Yoga Mat", "Yoga Block", "Resistance Bands"),
           ("Running Shoes", "Sports Socks")]
BUNDLE_P = (0.035, 0.03, 0.045)  # share of orders that are each bundle (times the segment's multiplier)

# country, region, share of customers, cities
COUNTRIES = [
    ("United States", "North America", 0.22, ("New York", "Los Angeles", "Chicago", "Houston", "Seattle")),
    ("Canada", "North America", 0.05, ("Toronto", "Vancouver", "Montreal")),
    ("Germany", "Europe", 0.14, ("Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt")),
    ("United Kingdom", "Europe", 0.12, ("London", "Manchester", "Birmingham", "Leeds")),
    ("France", "Europe", 0.08, ("Paris", "Lyon", "Marseille", "Toulouse")),
    ("Netherlands", "Europe", 0.05, ("Amsterdam", "Rotterdam", "Utrecht")),
    ("Spain", "Europe", 0.05, ("Madrid", "Barcelona", "Valencia")),
    ("Italy", "Europe", 0.04, ("Rome", "Milan", "Turin")),
    ("Sweden", "Europe", 0.03, ("Stockholm", "Gothenburg")),
    ("Poland", "Europe", 0.03, ("Warsaw", "Krakow")),
    ("Australia", "Asia Pacific", 0.06, ("Sydney", "Melbourne", "Brisbane")),
    ("Japan", "Asia Pacific", 0.04, ("Tokyo", "Osaka")),
    ("Singapore", "Asia Pacific", 0.02, ("Singapore",)),
    ("India", "Asia Pacific", 0.03, ("Mumbai", "Bangalore", "Delhi")),
    ("Brazil", "Latin America", 0.03, ("Sao Paulo", "Rio de Janeiro")),
    ("Mexico", "Latin America", 0.01, ("Mexico City", "Guadalajara")),
]
HOTSPOT_COUNTRY = "Germany"
FIRST_F = ("anna", "maria", "emma", "sofia", "laura", "julia", "sarah", "lisa", "olivia", "mia", "chloe", "yuki",
           "priya", "lucia", "elena", "hannah", "grace", "amelie", "nora", "isabel")
FIRST_M = ("james", "lukas", "paul", "david", "daniel", "thomas", "max", "leon", "noah", "liam", "carlos", "kenji",
           "arjun", "marco", "jan", "felix", "oliver", "samuel", "adam", "mateo")
LAST = ("schmidt", "smith", "mueller", "johnson", "garcia", "martin", "rossi", "jansen", "nowak", "brown", "tanaka",
        "silva", "dubois", "wilson", "lee", "fischer", "weber", "taylor", "sato", "patel", "lopez", "andersson",
        "kowalski", "moreau", "becker", "clark", "walker", "young", "khan", "novak")
INDUSTRIES = ("Retail", "Manufacturing", "Healthcare", "Software", "Hospitality", "Education", "Logistics")
COMPANY_SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
ACQUISITION = ("organic search", "paid search", "social", "referral", "email", "marketplace")
ACQUISITION_P = (0.30, 0.20, 0.18, 0.10, 0.10, 0.12)
ORDER_CHANNELS = ("web", "app", "store")
TOUCH_CHANNELS = ("organic search", "paid search", "social", "email", "direct", "referral")
TOUCH_FROM_ACQ = np.array([0, 1, 2, 5, 3, 4])  # acquisition channel -> its usual touchpoint channel
DEVICES = ("desktop", "mobile", "tablet")
EVENTS = ("visit", "product_view", "add_to_cart", "checkout", "purchase")
FUNNEL_CONTINUE = (0.88, 0.86, 0.85, 0.35)  # P(next step | this step)
HOUR_W = np.array([1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 8, 9, 8, 7, 7, 8, 9, 11, 13, 13, 11, 7, 3], float)

# behavioural segments: share of customers, mean days between orders (gamma gaps), extra lines per
# order and units per line (Poisson), price preference exponent, P(discount) and discount range,
# bundle multiplier, order channel mix (web, app, store), web sessions per customer
SEGMENTS = ("vip", "regular", "bargain", "one_time", "lapsed")
_SEG = {
    "vip":      dict(share=.09, gap=45, shape=3, lines=.7, units=.3, price_pow=1.4, disc_p=.10, lo=.05, hi=.10,
                     bundle=1.5, chan=(.45, .45, .10), sessions=4.0),
    "regular":  dict(share=.28, gap=100, shape=4, lines=.25, units=.2, price_pow=0, disc_p=.15, lo=.05, hi=.15,
                     bundle=1.0, chan=(.55, .30, .15), sessions=2.0),
    "bargain":  dict(share=.11, gap=24, shape=3, lines=.05, units=.2, price_pow=-2.0, disc_p=.85, lo=.10, hi=.22,
                     bundle=.2, chan=(.60, .35, .05), sessions=3.0),
    "one_time": dict(share=.42, gap=0, shape=1, lines=.3, units=.2, price_pow=0, disc_p=.20, lo=.05, hi=.15,
                     bundle=1.0, chan=(.55, .25, .20), sessions=1.0),
    "lapsed":   dict(share=.10, gap=30, shape=1, lines=.25, units=.2, price_pow=0, disc_p=.15, lo=.05, hi=.15,
                     bundle=1.0, chan=(.55, .30, .15), sessions=1.5),
}
S = {k: np.array([_SEG[s][k] for s in SEGMENTS], float) for k in _SEG["vip"]}
VIP, REGULAR, BARGAIN, ONE_TIME, LAPSED = range(5)
PRE_DEMOTE = 0.35       # share of would-be regulars acquired before the cohort split who buy only once
POST_CONVERT = 0.45     # share of would-be one-time buyers acquired after the split who become regulars
POST_GAP = 0.70         # ... and repeat buyers acquired after it order this much more often (gap factor)
SIGNUP_GROWTH = 0.3     # daily signups grow linearly by this factor over the window (+35% in Nov/Dec)
MIN_TENURE = 180        # repeat buyers sign up at least this many days before the end
LAPSED_ORDERS = (5, 10)  # the lapsed order monthly this many times (inclusive), then stop
LOSS_SHARE = 0.04        # customers made loss makers (heavy discounts, many returns)
RETURN_P, LOSS_RETURN_P = 0.003, 0.15

# feedback phrase pools: comment = opener + body + closer (any may be empty except the body)
TOPICS = ("delivery", "product quality", "price", "support", "website")
TOPIC_P = (0.22, 0.30, 0.18, 0.15, 0.15)
OPENERS = {"neg": ("", "Honestly disappointed.", "Not happy this time.", "Really frustrating.", "I expected better."),
           "neu": ("", "Overall okay.", "Mixed feelings.", "It was fine.", "Nothing special."),
           "pos": ("", "Great experience!", "Very happy.", "Love this shop.", "Excellent as always.")}
CLOSERS = {"neg": ("", "Will not order again.", "Please fix this.", "Very annoying.", "I am looking at other shops."),
           "neu": ("", "Might order again.", "Could be better.", "We will see next time."),
           "pos": ("", "Will definitely order again.", "Highly recommended!", "Thank you!", "Keep it up.")}
BODIES = {
    "delivery": {"neg": ("The box was damaged when it arrived.", "I received the wrong item.", "Part of my order was missing.",
                         "Tracking information never updated.", "The packaging was far too big and wasteful."),
                 "neu": ("Delivery took about as long as promised.", "The parcel arrived in one piece.",
                         "Shipping was okay but not fast.", "Packaging could be more eco-friendly."),
                 "pos": ("Shipping was really fast.", "The parcel arrived a day early.", "Packaging was neat and secure.",
                         "Quick delivery and accurate tracking.")},
    "product quality": {"neg": ("The product broke after a few weeks.", "Quality is much worse than in the pictures.",
                                "It stopped working after two uses.", "The material feels cheap.", "The size was completely off."),
                        "neu": ("The product does what it should.", "Quality is acceptable for the price.",
                                "Works fine, nothing more.", "Decent quality but not outstanding."),
                        "pos": ("The quality is excellent.", "Works perfectly and looks great.",
                                "Best purchase I made this year.", "Very well made and sturdy.")},
    "price": {"neg": ("Far too expensive for what you get.", "Prices went up again.", "I found it much cheaper elsewhere.",
                      "Shipping fees are too high."),
              "neu": ("The price is fair.", "Prices are average for this kind of product.", "A discount code would be nice.",
                      "Okay value for money."),
              "pos": ("Great value for money.", "The discount made it a bargain.", "Very reasonable prices.",
                      "Cheaper than in most other shops.")},
    "support": {"neg": ("Customer service never answered my email.", "Support was rude and unhelpful.",
                        "It took three calls to get a refund.", "Nobody could tell me where my refund is."),
                "neu": ("Support answered after a few days.", "The hotline was okay.", "Customer service solved it eventually.",
                        "The chat bot was not very useful."),
                "pos": ("Customer service was super helpful.", "Support replied within an hour.",
                        "The refund was processed quickly.", "Friendly and competent support team.")},
    "website": {"neg": ("The website kept crashing at checkout.", "The app logged me out all the time.",
                        "Search results are useless.", "Payment failed twice on the website."),
                "neu": ("The website is okay but a bit slow.", "The app works, though the menu is confusing.",
                        "Filters could be better.", "Checkout has too many steps."),
                "pos": ("The website is easy to use.", "The app is fast and clear.", "Checkout was quick and simple.",
                        "Finding products is really easy.")},
}
LATE_BODIES = ("My parcel arrived two weeks late.", "Delivery was delayed again and again.",
               "The courier missed the delivery window three times.", "Still waiting, the order is ten days late.",
               "The courier never rang, so everything arrived late.", "Shipping was delayed without any notice.")
LATE_CLOSERS = ("", "Nobody told me about the delay.", "Please change your courier.", "Will not order again.",
                "The gift did not arrive in time.", "Very disappointing before the holidays.")
LATE_PATTERN = r"\b(?:late|delay|delayed|courier)\b"
SCORE_P = np.array([[1, 1, 1, 1, 1, 2, 3, 8, 14, 30, 38],      # NPS 0..10 of vip customers
                    [2, 1, 2, 2, 3, 5, 7, 14, 18, 24, 22]], float)  # everyone else
LATE_SCORE_P = np.array([4, 6, 8, 7, 5]) / 30                  # late-delivery complaints: 0..4


def _build_comments():
    texts, pools = [], {}
    for topic, by_sent in BODIES.items():
        for sent, bodies in by_sent.items():
            start = len(texts)
            texts += [" ".join(p for p in (o, b, c) if p) for o in OPENERS[sent] for b in bodies for c in CLOSERS[sent]]
            pools[topic, sent] = np.arange(start, len(texts))
    start = len(texts)
    texts += [" ".join(p for p in (o, b, c) if p) for o in OPENERS["neg"][:3] for b in LATE_BODIES for c in LATE_CLOSERS]
    pools["late"] = np.arange(start, len(texts))
    return texts, pools


COMMENTS, COMMENT_POOLS = _build_comments()
PRODUCTS = [p for _, (_, items) in CATALOGUE.items() for p, _ in items]
PRODUCT_CATEGORY = np.repeat(np.arange(len(CATALOGUE)), [len(items) for _, items in CATALOGUE.values()])
PRICE_CENTS = np.array([round(price * 100) for _, items in CATALOGUE.values() for _, price in items])
COST_RATIO = np.array([r + (-0.03, -0.015, 0, 0.015, 0.03)[i % 5]
                       for r, items in CATALOGUE.values() for i in range(len(items))])
POPULARITY = np.array([1 / (1 + 0.3 * i) for _, items in CATALOGUE.values() for i in range(len(items))])


@dataclass
class DemoStore:
    tables: dict[str, pd.DataFrame]   # "customers", "orders", "feedback", "touchpoints"
    truth: dict[str, pd.DataFrame | dict | list]  # planted structure (see PLANTED); never written to files
    start: dt.date
    end: dt.date


# --- small helpers ---------------------------------------------------------------------------
def _days(x) -> np.ndarray | int:
    return np.asarray(x, "datetime64[D]").astype(np.int64)


def _months(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of day numbers."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _pick(rng, probs, group) -> np.ndarray:
    """Draw a category per row from probs[group[row]] (rows grouped by a small int)."""
    cum = np.cumsum(np.asarray(probs, float), axis=1)
    cum /= cum[:, -1:]
    u, out = rng.random(len(group)), np.zeros(len(group), np.int32)
    for g in np.unique(group):
        m = group == g
        out[m] = np.searchsorted(cum[g], u[m], side="right")
    return np.minimum(out, cum.shape[1] - 1)


def _ids(prefix: str | pa.Array, numbers, width: int) -> pa.Array:
    """"C" + zero-padded numbers -> "C000001"... (prefix may differ per row)."""
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, text, "")


def _labels(names, codes, mask=None) -> pa.Array:
    return pa.array(list(names), pa.string()).take(pa.array(codes, mask=mask))


def _ragged(counts) -> tuple[np.ndarray, np.ndarray]:
    """For groups of the given sizes: each element's group number and its position within the group."""
    group = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    return group, np.arange(len(group), dtype=np.int32) - np.repeat((np.cumsum(counts) - counts).astype(np.int32), counts)


def _share(flags: np.ndarray) -> float:
    return round(float(flags.mean()), 6) if len(flags) else 0.0


def _ts(days, seconds) -> np.ndarray:
    return (np.asarray(days, np.int64) * 86400 + seconds).astype("datetime64[s]")


# --- tables ----------------------------------------------------------------------------------
def _customers(rng, n, d0, d1, split):
    seg = rng.choice(5, n, p=S["share"]).astype(np.int8)
    lapsed_n = rng.integers(LAPSED_ORDERS[0], LAPSED_ORDERS[1] + 1, n)  # orders of the lapsed (monthly, then nothing)
    latest = np.select([seg == ONE_TIME, seg == LAPSED], [d1, d1 - 240 - 30 * (lapsed_n - 1) - 20], d1 - MIN_TENURE)
    days = np.arange(d0, d1 + 1)
    months = _months(days) % 12
    cdf = np.cumsum((1 + SIGNUP_GROWTH * (days - d0) / (d1 - d0)) * np.where(months >= 10, 1.35, 1.0))
    cdf /= cdf[-1]
    signup = d0 + np.searchsorted(cdf, rng.random(n) * cdf[latest - d0])
    post = signup >= split
    u = rng.random(n)
    seg[(seg == ONE_TIME) & post & (u < POST_CONVERT)] = REGULAR
    seg[(seg == REGULAR) & ~post & (u < PRE_DEMOTE)] = ONE_TIME
    repeat = (seg == REGULAR) | (seg == BARGAIN)
    eligible = repeat & (signup <= d1 - 180)
    loss = eligible & (rng.random(n) < LOSS_SHARE * n / max(eligible.sum(), 1))
    b2b = rng.random(n) < 0.15
    country = rng.choice(len(COUNTRIES), n, p=np.array([c[2] for c in COUNTRIES]) / sum(c[2] for c in COUNTRIES))
    n_city = np.array([len(c[3]) for c in COUNTRIES])
    city = (np.cumsum(n_city) - n_city)[country] + (rng.random(n) * n_city[country]).astype(int)
    gender = rng.choice(3, n, p=[0.49, 0.48, 0.03])
    first = np.where(gender == 1, rng.integers(0, len(FIRST_M), n) + len(FIRST_F), rng.integers(0, len(FIRST_F), n))
    return dict(n=n, seg=seg, signup=signup, post=post, loss=loss, b2b=b2b, country=country, city=city,
                gender=gender, first_name=first, last_name=rng.integers(0, len(LAST), n),
                age=np.clip(rng.normal(39, 12, n), 18, 85).astype(int),
                industry=rng.choice(len(INDUSTRIES), n), size=rng.choice(5, n, p=[.35, .3, .18, .12, .05]),
                acq=rng.choice(len(ACQUISITION), n, p=ACQUISITION_P), lapsed_n=lapsed_n,
                first_day=np.minimum(signup + np.where(rng.random(n) < 0.65, 0, rng.integers(1, 15, n)), d1))


def _order_days(rng, c, d1):
    """(customer, day) of every order: first orders, gamma-gap renewals for active segments, monthly lapsed."""
    seg, first = c["seg"], c["first_day"]
    cust, day = [np.arange(c["n"])], [first]
    rep = np.flatnonzero(np.isin(seg, (VIP, REGULAR, BARGAIN)))
    gap = S["gap"][seg[rep]] * rng.lognormal(0, 0.25, len(rep)) * np.where(c["post"][rep], POST_GAP, 1.0)
    shape = S["shape"][seg[rep]]
    k = np.ceil((d1 - first[rep]) / gap * 1.5 + 6).astype(np.int64)  # enough gaps to pass the end
    row, _ = _ragged(k)
    g = rng.gamma(shape[row]) * (gap / shape)[row]
    cum = np.cumsum(g)
    cum -= np.repeat(cum[np.cumsum(k) - k] - g[np.cumsum(k) - k], k)  # running sum within each customer
    d = first[rep][row] + np.floor(cum).astype(np.int64)
    keep = d <= d1
    cust.append(rep[row[keep]]), day.append(d[keep])
    lap = np.flatnonzero(seg == LAPSED)
    row, step = _ragged(c["lapsed_n"][lap] - 1)
    cust.append(lap[row]), day.append(first[lap][row] + 30 * (step + 1) + rng.integers(-5, 6, len(row)))
    cust, day = np.concatenate(cust), np.concatenate(day)
    sec = rng.choice(24, len(day), p=HOUR_W / HOUR_W.sum()) * 3600 + rng.integers(0, 3600, len(day))
    order = np.argsort(day * 86400 + sec, kind="stable")
    return cust[order].astype(np.int32), day[order], sec[order]


def _order_lines(rng, c, start_year, d1):
    """Sale lines (one dict of arrays, money in cents) and return lines (own "R" orders)."""
    cust, day, sec = _order_days(rng, c, d1)
    seg = c["seg"][cust]
    channel = _pick(rng, S["chan"], seg).astype(np.int8)
    bundle_p = np.outer(S["bundle"], BUNDLE_P)
    bundle = _pick(rng, np.column_stack([1 - bundle_p.sum(1), bundle_p]), seg) - 1
    blen = np.array([len(b) for b in BUNDLES])
    n_lines = np.where(bundle >= 0, blen[bundle] + rng.poisson(0.3, len(cust)), 1 + rng.poisson(S["lines"][seg]))
    oi, pos = _ragged(n_lines)
    weights = POPULARITY * (PRICE_CENTS / 3000.0) ** S["price_pow"][:, None]
    prod = _pick(rng, weights, seg[oi]).astype(np.int16)
    table = np.array([[PRODUCTS.index(p) for p in b] + [0] * (3 - len(b)) for b in BUNDLES])
    bl = bundle[oi]
    m = (bl >= 0) & (pos < blen[np.maximum(bl, 0)])
    prod[m] = table[bl[m], pos[m]]
    dup = np.zeros(len(oi), bool)  # one line per product per order: drop repeats within an order
    for d in range(1, int(n_lines.max())):
        dup[d:] |= (oi[d:] == oi[:-d]) & (prod[d:] == prod[:-d])
    oi, prod = oi[~dup], prod[~dup]
    del pos, bl, m, dup
    lc, ls = cust[oi], seg[oi]
    qty = (1 + rng.poisson(S["units"][ls] + 0.8 * c["b2b"][lc])).astype(np.int32)
    year = day[oi].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970 - start_year
    price = (np.round(PRICE_CENTS[prod] * 1.04 ** year / 10) * 10).astype(np.int32)
    unit_cost = np.round(price * COST_RATIO[prod]).astype(np.int32)
    rate = np.where(rng.random(len(oi)) < S["disc_p"][ls], rng.uniform(S["lo"][ls], S["hi"][ls]), 0.0)
    rate = np.where(c["loss"][lc], rng.uniform(0.6, 0.8, len(oi)), rate)
    disc = np.round(qty * price * rate).astype(np.int32)
    del year, rate, ls
    lines = dict(order=oi + 1, ret=np.zeros(len(oi), bool), day=day[oi], sec=sec[oi], cust=lc, prod=prod,
                 qty=qty, price=price, disc=disc, amount=qty * price - disc, cost=qty * unit_cost, channel=channel[oi])
    # returns: a later order of their own refunding the net unit price paid and reversing the cost
    r = np.flatnonzero(rng.random(len(oi)) < np.where(c["loss"][lc], LOSS_RETURN_P, RETURN_P))
    rday = lines["day"][r] + rng.integers(3, 31, len(r))
    r, rday = r[rday <= d1], rday[rday <= d1]
    k = -rng.integers(1, qty[r] + 1).astype(np.int32)
    net = lines["amount"][r] // qty[r]
    rsec = rng.integers(8 * 3600, 20 * 3600, len(r))
    rorder = np.argsort(rday * 86400 + rsec, kind="stable")
    returns = dict(order=np.empty(len(r), np.int32), ret=np.ones(len(r), bool), day=rday, sec=rsec, cust=lc[r],
                   prod=prod[r], qty=k, price=net, disc=np.zeros(len(r), np.int32), amount=k * net,
                   cost=k * unit_cost[r], channel=lines["channel"][r])
    returns["order"][rorder] = np.arange(1, len(r) + 1)
    return lines, returns


def _feedback(rng, c, lines, hotspot, d1):
    """Feedback on ~6% of order lines; late-delivery complaints in the hotspot country and months."""
    h0, h1 = hotspot
    germany = c["country"][lines["cust"]] == [c[0] for c in COUNTRIES].index(HOTSPOT_COUNTRY)
    near = germany & (lines["day"] >= h0 - 14) & (lines["day"] <= h1)
    u, base = rng.random(len(germany)), 0.06
    idx = np.flatnonzero(u < base * np.where(near, 3, 1))
    date = lines["day"][idx] + rng.integers(2, 15, len(idx))
    hot = near[idx] & (date >= h0) & (date <= h1)
    keep = (hot | (u[idx] < base)) & (date <= d1)
    idx, date, hot = idx[keep], date[keep], hot[keep]
    seg = c["seg"][lines["cust"][idx]]
    n = len(idx)
    score = _pick(rng, SCORE_P, (seg != VIP).astype(int))
    topic = rng.choice(len(TOPICS), n, p=TOPIC_P)
    late = (hot & (rng.random(n) < 0.7)) | ((topic == 0) & (score <= 6) & (rng.random(n) < 0.1))
    topic[late] = 0
    score[late] = rng.choice(5, late.sum(), p=LATE_SCORE_P)
    sent = np.select([score <= 6, score <= 8], [0, 1], 2)
    comment = np.zeros(n, np.int64)
    for t, name in enumerate(TOPICS):
        for s, sname in enumerate(("neg", "neu", "pos")):
            m = (topic == t) & (sent == s) & ~late
            pool = COMMENT_POOLS[name, sname]
            comment[m] = pool[rng.integers(0, len(pool), m.sum())]
    comment[late] = COMMENT_POOLS["late"][rng.integers(0, len(COMMENT_POOLS["late"]), late.sum())]
    empty = ~late & (rng.random(n) < 0.22)
    order = np.argsort(date, kind="stable")
    return {k: v[order] for k, v in dict(cust=lines["cust"][idx], date=date, score=score, comment=comment,
                                          empty=empty, prod=lines["prod"][idx], topic=topic, late=late, hot=hot).items()}


def _touchpoints(rng, c, last_day, d1):
    """Web sessions within each customer's active span; each walks the funnel until it drops out."""
    seg = c["seg"]
    n_s = rng.poisson(S["sessions"][seg])
    cust = np.repeat(np.arange(c["n"]), n_s)
    lo = c["first_day"][cust]
    hi = np.select([seg[cust] == ONE_TIME, seg[cust] == LAPSED], [np.minimum(lo + 45, d1), last_day[cust]], d1)
    start = (lo + rng.random(len(cust)) * (hi - lo + 1)).astype(np.int64) * 86400 + rng.integers(7 * 3600, 86400, len(cust))
    order = np.argsort(start, kind="stable")
    cust, start = cust[order], start[order]
    steps = 1 + np.cumprod(rng.random((len(cust), 4)) < FUNNEL_CONTINUE, axis=1).sum(1)
    channel = np.where(rng.random(len(cust)) < 0.45, TOUCH_FROM_ACQ[c["acq"][cust]],
                       rng.choice(6, len(cust), p=[.3, .2, .15, .1, .15, .1]))
    device = rng.choice(3, len(cust), p=[.45, .45, .10])
    si, event = _ragged(steps)
    gap = rng.integers(5, 240, len(si)) * (event > 0)  # seconds between steps
    offs = np.cumsum(gap) - np.repeat((np.cumsum(gap) - gap)[np.cumsum(steps) - steps], steps)
    return dict(session=si + 1, cust=cust[si], ts=start[si] + offs, event=event, channel=channel[si], device=device[si])


# --- truth -----------------------------------------------------------------------------------
def _cohort_truth(cust, day, n, d0, d1, split):
    """Month-3 retention (pooled over customers) of the first-year cohorts vs the cohorts since the split."""
    m = _months(day)
    first_m = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_m, cust, m)
    has = first_m < np.iinfo(np.int64).max
    ret = np.zeros(n, bool)
    ret[cust[m == first_m[cust] + 3]] = True
    m0, ms, mlast = (int(x) for x in _months(np.array([d0, split, d1])))
    early = has & (first_m < m0 + 12)
    late = has & (first_m >= ms) & (first_m + 3 <= mlast)
    return {"split": str(np.datetime64(split, "D")), "first_year": (str(np.datetime64(m0, "M")), str(np.datetime64(m0 + 11, "M"))),
            "definition": "cohort = month of a customer's first order; month-3 retention = share of the cohort's "
                          "customers with an order (returns excluded) in the 3rd calendar month after it, pooled over "
                          "customers; 'since_split' counts cohorts from the split month whose month 3 is in the data",
            "planted": {"one_time_to_repeat_after_split": POST_CONVERT, "gap_factor_after_split": POST_GAP},
            "month3_retention_first_year": _share(ret[early]), "month3_retention_since_split": _share(ret[late]),
            "customers_first_year": int(early.sum()), "customers_since_split": int(late.sum())}


def generate(customers: int = 5000, seed: int = 42, start: str = "2023-01-01", end: str = "2025-12-31") -> DemoStore:
    """Build the demo store: deterministic for (customers, seed, start, end)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if customers < 10 or months < 24:
        raise ValueError("the demo needs at least 10 customers and a window of at least 24 months")
    rng = np.random.default_rng(seed)
    d0, d1 = int(_days(s.date())), int(_days(e.date()))
    split = int(_days((s + pd.DateOffset(months=round(months * 14 / 36))).date()))
    h_start = s + pd.DateOffset(months=round(months * 21 / 36))
    hotspot = (int(_days(h_start.date())), int(_days((h_start + pd.DateOffset(months=4, days=-1)).date())))
    c = _customers(rng, customers, d0, d1, split)
    lines, returns = _order_lines(rng, c, s.year, d1)
    last_day = np.full(customers, d0, dtype=lines["day"].dtype)
    np.maximum.at(last_day, lines["cust"], lines["day"])
    fb = _feedback(rng, c, lines, hotspot, d1)
    tp = _touchpoints(rng, c, last_day, d1)
    cid = _ids("C", np.arange(1, customers + 1), 6)

    # profit per customer in cents, returns included
    profit = sum(np.bincount(part["cust"], weights=part["amount"] - part["cost"].astype(np.int64), minlength=customers)
                 for part in (lines, returns))
    steps = np.bincount(tp["event"], minlength=5)
    theme_rows = fb["late"]
    truth = {
        "segments": _frame({"customer_id": cid, "segment": _labels(SEGMENTS, c["seg"])}),
        "bundles": list(BUNDLES),
        "churned": cid.filter(pa.array(c["seg"] == LAPSED)).to_pylist(),
        "cohorts": _cohort_truth(lines["cust"], lines["day"], customers, d0, d1, split),
        "loss_makers": cid.filter(pa.array(profit < 0)).to_pylist(),
        "complaint_theme": {"theme": "late delivery", "topic": "delivery", "pattern": LATE_PATTERN,
                            "country": HOTSPOT_COUNTRY, "region": "Europe",
                            "period": (str(np.datetime64(hotspot[0], "D")), str(np.datetime64(hotspot[1], "D"))),
                            "scores": (0, 4),
                            "share_in_hotspot": _share(theme_rows[fb["hot"]]), "share_elsewhere": _share(theme_rows[~fb["hot"]])},
        "dropoff": {"from": "checkout", "to": "purchase", "continue_rates": dict(zip(EVENTS[1:], FUNNEL_CONTINUE)),
                    "sessions_reaching": dict(zip(EVENTS, steps.tolist()))},
    }
    tables = {"customers": _customer_frame(c, cid), "orders": _order_frame(c, lines, returns, cid),
              "feedback": _feedback_frame(fb, cid), "touchpoints": _touch_frame(tp, cid)}
    return DemoStore(tables, truth, s.date(), e.date())


# --- frames (strings only here) --------------------------------------------------------------
def _frame(columns: dict) -> pd.DataFrame:
    """numpy / Arrow columns -> DataFrame (Arrow-backed str columns, no copies of the strings)."""
    return pa.table(columns).to_pandas(split_blocks=True)


def _customer_frame(c, cid):
    b2b = c["b2b"]
    cities = [city for co in COUNTRIES for city in co[3]]
    email = pc.binary_join_element_wise(
        _labels(FIRST_F + FIRST_M, c["first_name"]), ".", _labels(LAST, c["last_name"]),
        pc.cast(pa.array(np.arange(1, c["n"] + 1)), pa.string()), "@example.com", "")
    df = _frame({
        "customer_id": cid, "email": email, "signup_date": _ts(c["signup"], 0),
        "country": _labels([co[0] for co in COUNTRIES], c["country"]),
        "region": _labels([co[1] for co in COUNTRIES], c["country"]), "city": _labels(cities, c["city"]),
        "gender": _labels("FMX", c["gender"], b2b), "age": np.zeros(c["n"], np.int64),
        "customer_type": _labels(("B2C", "B2B"), b2b.astype(np.int8)),
        "industry": _labels(INDUSTRIES, c["industry"], ~b2b), "company_size": _labels(COMPANY_SIZES, c["size"], ~b2b),
        "acquisition_channel": _labels(ACQUISITION, c["acq"]),
    })
    df["age"] = pd.arrays.IntegerArray(c["age"].astype(np.int64), b2b.copy())  # blank for B2B
    return df


def _order_frame(c, lines, returns, cid):
    perm = np.argsort(np.concatenate([lines["day"] * 86400 + lines["sec"], returns["day"] * 86400 + returns["sec"]]),
                      kind="stable")

    def col(key):  # sale and return lines merged in time order; consumes the arrays to save memory
        return np.concatenate([lines.pop(key), returns.pop(key)])[perm]

    ret = pa.array(col("ret"))
    day, sec, cust, prod, qty = col("day"), col("sec"), col("cust"), col("prod"), col("qty")
    return _frame({
        "order_id": _ids(pc.if_else(ret, "R", "O"), col("order"), 7),
        "order_date": _ts(day, sec), "customer_id": cid.take(pa.array(cust)),
        "product": _labels(PRODUCTS, prod), "category": _labels(CATALOGUE, PRODUCT_CATEGORY[prod]),
        "quantity": qty.astype(np.int64), "unit_price": col("price") / 100, "discount": col("disc") / 100,
        "amount": col("amount") / 100, "cost": col("cost") / 100,
        "channel": _labels(ORDER_CHANNELS, col("channel")),
        "country": _labels([co[0] for co in COUNTRIES], c["country"][cust]),
    })


def _feedback_frame(fb, cid):
    return _frame({
        "customer_id": cid.take(pa.array(fb["cust"])), "date": _ts(fb["date"], 0), "score": fb["score"].astype(np.int64),
        "comment": _labels(COMMENTS, fb["comment"], fb["empty"]), "product": _labels(PRODUCTS, fb["prod"]),
        "topic": _labels(TOPICS, fb["topic"]),
    })


def _touch_frame(tp, cid):
    return _frame({
        "customer_id": cid.take(pa.array(tp["cust"])), "session_id": _ids("S", tp["session"], 8),
        "timestamp": tp["ts"].astype("datetime64[s]"), "event": _labels(EVENTS, tp["event"]),
        "channel": _labels(TOUCH_CHANNELS, tp["channel"]), "device": _labels(DEVICES, tp["device"]),
    })


# --- writing ---------------------------------------------------------------------------------
EXCEL_MAX_ROWS = 1_048_575


def write(store: DemoStore, directory: str | Path, format: str = "csv") -> list[Path]:
    """Write the tables into ``directory`` (created if needed); never overwrites existing files."""
    if format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {format!r}: use 'csv' or 'parquet'")
    directory = Path(directory)
    t = store.tables
    if format == "csv":
        names = {"orders": "orders.csv", "customers": "customers.xlsx", "feedback": "feedback.csv",
                 "touchpoints": "touchpoints.csv"}
        if len(t["customers"]) > EXCEL_MAX_ROWS:
            raise ValueError(f"{len(t['customers'])} customers do not fit in one Excel sheet "
                             f"({EXCEL_MAX_ROWS} rows at most): use format='parquet'")
    else:
        names = {k: f"{k}.parquet" for k in ("orders", "customers", "feedback", "touchpoints")}
    paths = {k: directory / v for k, v in names.items()}
    existing = [str(p) for p in paths.values() if p.exists()]
    if existing:
        raise FileExistsError(f"refusing to overwrite existing demo files: {', '.join(existing)}; "
                              "choose an empty directory or remove them first")
    directory.mkdir(parents=True, exist_ok=True)
    for key, path in paths.items():
        df = t[key]
        if format == "parquet":
            df.to_parquet(path, engine="pyarrow", compression="snappy", index=False)
        elif path.suffix == ".xlsx":
            regions = pd.DataFrame({"country": [co[0] for co in COUNTRIES], "region": [co[1] for co in COUNTRIES]})
            with pd.ExcelWriter(path, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD") as xw:
                df.to_excel(xw, sheet_name="customers", index=False)
                regions.to_excel(xw, sheet_name="regions", index=False)
        else:
            df.to_csv(path, index=False, float_format="%.2f")  # money: always two decimals
    return list(paths.values())


__all__ = ["DemoStore", "generate", "write", "PLANTED"]