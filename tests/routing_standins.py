"""Stand-in analyses for the router's tests and benchmark ONLY (never part of the package).

The real analyses (segmentation, persona, basket, clv, cohort, loyalty, churn, journey,
profitability, feedback, five_forces, spin, report) arrive from other branches with their own
example questions. Until then these stand-ins, with the examples their issues describe, check that
the classifier scales to fourteen analyses; each is registered only where its real counterpart is
missing, so after the merge the real examples are the ones measured.
"""

from __future__ import annotations

import datetime as dt

from custlens import hookimpl
from custlens.analysis import Analysis, Params
from custlens.answer import Answer


class _Common(Params):
    filters: dict[str, list[str]] = {}
    start: dt.date | None = None
    end: dt.date | None = None
    by: list[str] = []
    top: int = 10
    k: int | None = None
    grain: str = "month"
    metric: str | None = None
    product: str | None = None
    customer: str | None = None
    segment: str | None = None


EXAMPLES = {
    "segmentation": [
        "segment my customers", "split customers into 4 segments", "run an RFM analysis",
        "cluster the customers by behaviour", "which customer groups do we have",
        "rfm segments with size and revenue share", "group customers by recency frequency and monetary value",
        "segment by age band and gender", "segment B2B customers by industry and company size",
        "which four segments should we focus on", "find potential segments we are missing",
        "k-means clustering of customers", "who are the champions and who is about to sleep",
        "describe each segment by facts sales and value", "how big is each customer segment",
        "customer segmentation canvas",
    ],
    "persona": [
        "build a persona for each segment", "describe our typical customer as a persona",
        "persona for the champions", "who is our ideal customer", "write buyer personas",
        "what does a typical B2B buyer look like", "create a customer profile with goals and troubles",
        "persona with motivations and dreams", "hypothetical customer profile",
        "give the segment a face and a name", "what are the goals and frustrations of our best buyers",
        "persona card for the at-risk segment", "describe the person behind the bargain hunters",
        "customer avatar", "what questions should I ask in a persona interview",
    ],
    "basket": [
        "which products are bought together", "market basket analysis", "what goes with coffee",
        "product bundles we could offer", "customers who bought this also bought",
        "association rules with lift and confidence", "cross-sell recommendations for a product",
        "what should we recommend next to the espresso machine", "frequent itemsets",
        "which categories are bought together", "up-sell opportunities", "shelf placement ideas from baskets",
        "items often in the same order", "best product pairs by lift", "what to recommend to customer C000042",
    ],
    "clv": [
        "customer lifetime value", "what is the CLV of our customers", "predict how much each customer will spend",
        "top 10 customers by lifetime value", "CLV by segment", "average lifetime value",
        "BG/NBD and Gamma-Gamma model", "expected purchases next 12 months", "probability each customer is still active",
        "historical CLV with margin", "how good is the CLV model", "high value customers at risk",
        "how much is a customer worth over their lifetime", "future value of our customers",
        "lifetime value distribution",
    ],
    "cohort": [
        "cohort analysis", "retention by signup month", "how do monthly cohorts retain",
        "cohort retention heatmap", "acquisition cohorts by first purchase month", "which cohort retains best",
        "cumulative revenue per customer by cohort", "cohorts by acquisition channel",
        "quarterly cohorts", "do newer cohorts stay longer", "retention curve per cohort",
        "how many of january's new customers came back", "share of each cohort still buying after 3 months",
        "compare the 2023 and 2024 cohorts", "revenue by cohort over time",
    ],
    "loyalty": [
        "how loyal are our customers", "repeat purchase rate", "loyalty index per customer",
        "net promoter score", "what is our NPS by region", "time between purchases",
        "purchase frequency distribution", "most and least loyal customers", "customer satisfaction by product",
        "20% most satisfied customers and what characterises them", "retention rate period over period",
        "how many customers buy again", "average tenure of customers", "csat by quarter",
        "promoters passives and detractors",
    ],
    "churn": [
        "churn rate", "which customers are about to churn", "why do customers leave",
        "churn by contract type", "customers at risk of churning", "who stopped buying",
        "what drives churn", "churn prediction model", "customer loss rate per month",
        "lapsed customers ranked by value at stake", "inactive customers for 90 days",
        "attrition rate", "which customers have we lost", "how many customers did we lose last year",
        "churn drivers and their importance",
    ],
    "journey": [
        "customer journey", "conversion funnel", "where do visitors drop off",
        "funnel from visit to purchase", "conversion rate at each stage", "biggest drop-off in the funnel",
        "touchpoint attribution", "first touch and last touch attribution", "most common paths to purchase",
        "time between funnel stages", "conversion by device", "checkout abandonment",
        "how many sessions reach the cart", "pipeline stages from lead to won", "journey by channel",
    ],
    "profitability": [
        "which customers are profitable", "customer profitability", "profit per customer",
        "loss-making customers", "profit concentration curve", "margin by product",
        "which customers cost us money", "cost to serve per customer", "margin by segment",
        "how many customers bring all the profit", "profitable vs unprofitable customers",
        "gross margin by region", "who has negative profit", "discounts and returns eating our margin",
        "most profitable customers",
    ],
    "feedback": [
        "what do customers say", "analyse the reviews", "main complaint themes",
        "sentiment of customer comments", "what are people complaining about", "topics in the feedback",
        "complaints by product", "what do promoters praise", "negative reviews by region",
        "customer opinions over time", "support tickets by topic", "what do detractors dislike",
        "themes in free text comments", "time to resolution of enquiries", "is sentiment improving",
    ],
    "five_forces": [
        "five forces analysis", "porter's five forces", "how strong is buyer power",
        "threat of new entrants", "threat of substitutes", "competitive rivalry in our industry",
        "supplier power", "how attractive is our industry", "industry analysis scorecard",
        "rate the competitive forces", "revenue concentration and buyer power", "porter analysis",
        "is our market attractive", "competitive landscape assessment", "continue the five forces interview",
    ],
    "spin": [
        "spin questions", "prepare a sales conversation", "discovery call questions for the champions",
        "situation problem implication need-payoff", "questions to ask a customer", "sales call script",
        "spin selling questions for B2B", "survey draft on purchase drivers", "customer interview guide",
        "what should I ask customer C000042", "questions for a discovery meeting", "need-payoff questions",
        "interview questions about buying criteria", "prepare a call with a lapsed customer",
        "spin questions for the espresso machine",
    ],
    "report": [
        "full customer analysis report", "write the full report", "complete customer analysis",
        "generate a report of everything", "customer analysis document", "make an html report",
        "summary report with recommendations", "write it all up", "full analysis with segments clv and churn",
        "export a complete report", "board report on our customers", "create the customer analysis deck",
        "everything you know about our customers in one document", "recommendations report",
        "produce the annual customer review",
    ],
}

TITLES = {
    "segmentation": "Customer segmentation", "persona": "Personas", "basket": "Market basket",
    "clv": "Customer lifetime value", "cohort": "Cohort analysis", "loyalty": "Loyalty and satisfaction",
    "churn": "Churn", "journey": "Customer journey", "profitability": "Customer profitability",
    "feedback": "Customer feedback", "five_forces": "Porter's Five Forces", "spin": "SPIN questions",
    "report": "Customer analysis report",
}


def standin(name: str) -> Analysis:
    """A stand-in analysis that answers with its name and params (enough for routing tests)."""

    class StandIn(Analysis):
        title = TITLES[name]
        summary = ""
        examples = EXAMPLES[name]
        Params = _Common

        def run(self, dataset, params):
            return Answer(analysis=self.name, title=self.title, summary=f"{self.name} stand-in")

    StandIn.name = name
    return StandIn()


class StandIns:
    """A plugin registering a stand-in for each analysis not already installed."""

    def __init__(self, installed: set[str] = frozenset()):
        self.installed = set(installed)

    @hookimpl
    def register_analyses(self, register):
        for name in EXAMPLES:
            if name not in self.installed:
                register(standin(name))
