"""custlens inside another program: one Assistant, many conversations (one per chat thread).

    python examples/embed.py                       # on the demo store
    python examples/embed.py orders.csv customers.xlsx
"""

import sys

from custlens import Assistant
from custlens.errors import CustlensError

assistant = Assistant(data=sys.argv[1:], demo=len(sys.argv) == 1)  # loads the data once
turns = [("#sales", "segment my customers"), ("#support", "who is about to churn"),
         ("#sales", "revenue for the champions by month"), ("#sales", "and for Germany?")]
for thread, question in turns:  # a bot would get these from its chat tool, in any order, from many threads
    try:
        answer = assistant.chat(thread, question, timeout=60)
    except CustlensError as exc:  # a message for the user: what went wrong and what to do
        print(f"[{thread}] {question}\n  {exc}\n")
        continue
    print(f"[{thread}] {question}\n  {answer.understood}\n  {answer.summary.splitlines()[0]}\n")
