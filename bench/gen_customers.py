#!/usr/bin/env python3
"""Writes a deterministic customers CSV for benchmarks: `gen_customers.py ROWS OUT.csv`.

Reviews are built from fragments (about 4,000 distinct texts), scores and dates from a
seeded generator, over two years; emails are unique.
"""
import datetime
import random
import sys

OPENERS = ["Great service", "Terrible support", "The delivery was quick", "Slow shipping", "Friendly staff",
           "Rude staff", "Good value", "Overpriced", "The app keeps crashing", "Easy to use", "Average experience",
           "Loved the product", "Packaging was damaged", "Helpful answers", "Waited too long", "Works as described",
           "Not what I expected", "Excellent quality", "Poor quality", "Fast refund"]
MIDDLES = ["and", "but", "although", "so", "yet"]
CLOSERS = ["I will order again", "I want a refund", "support answered within minutes", "nobody replied to my email",
           "the price was fair", "it broke after a week", "the staff were lovely", "the website is confusing",
           "highly recommended", "never again", "it does the job", "delivery took two weeks",
           "the checkout was smooth", "the manual is useless", "five stars", "one star",
           "my order arrived on Tuesday", "the color was different", "great value for money", "disappointing overall"]


def main() -> None:
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261124)
    start = 1_704_067_200  # 2024-01-01T00:00:00Z
    span = 730 * 86_400
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("name,email,satisfaction_score,review,feedback_at\n")
        for i in range(rows):
            review = f"{rng.choice(OPENERS)} {rng.choice(MIDDLES)} {rng.choice(CLOSERS)}."
            if rng.random() < 0.1:
                review = ""
            at = start + rng.randrange(span)
            day = at // 86_400
            # ISO dates for most rows, full RFC 3339 times for a third.
            if i % 3 == 0:
                when = datetime.datetime.fromtimestamp(at, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            else:
                when = (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat()
            f.write(f"Customer {i},customer{i}@example.com,{rng.randint(1, 5)},\"{review}\",{when}\n")


if __name__ == "__main__":
    main()
