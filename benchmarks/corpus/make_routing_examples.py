"""Write prompts_and_templates/routing_examples.yaml from the DEVELOPMENT part of the corpus:
every single question and each conversation's first turn, under the analysis its author meant
("none": off-topic). The held-out part never goes in: it is what measures the router.

    .venv/bin/python benchmarks/corpus/make_routing_examples.py
"""

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent.parent))
import _corpus  # noqa: E402

OUT = Path(__file__).parent.parent.parent / "prompts_and_templates" / "routing_examples.yaml"


def main() -> None:
    examples: dict[str, list[str]] = {}
    for doc in _corpus.load(_corpus.DEVELOPMENT):
        items = list(doc.get("questions") or []) + [c["turns"][0] for c in doc.get("conversations") or [] if c["turns"]]
        for item in items:
            questions = examples.setdefault(item["analysis"], [])
            if item["q"] not in questions:
                questions.append(item["q"])
    header = ("# Questions people wrote, labelled with the analysis they meant (none: off-topic): the router\n"
              "# learns from them besides each analysis's examples. Made by benchmarks/corpus/make_routing_examples.py\n"
              f"# from the development authors ({', '.join(_corpus.DEVELOPMENT)}); do not edit by hand.\n")
    OUT.write_text(header + yaml.safe_dump(dict(sorted(examples.items())), allow_unicode=True, width=200),
                   encoding="utf-8")
    print(f"wrote {sum(map(len, examples.values()))} questions for {len(examples)} labels to {OUT}")


if __name__ == "__main__":
    main()
