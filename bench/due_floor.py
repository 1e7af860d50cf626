"""The floor under `quiz due` (issue 18): a bare python + sqlite3 process asking the same questions of the same
database and printing the same two lines. Imports nothing but the standard library's sqlite3, os and time.

    python bench/due_floor.py DB PROFILE NOW_MS

What it asks, as `quiz.workspace.status` does (the same WHERE clauses as quiz.store's SQL): today's answers
(new and review, for the daily limits: 10 new, 200 reviews), the due counts, up to the remaining new questions in
bank order, the next due time and the streak from `review_days`. It is a floor, not a rival: it knows the day
rolls over at 04:00 UTC and the default limits, where quiz reads them from the profile's settings.
"""

import sqlite3
import sys
import time

NOT_BURIED = "(c.buried_until IS NULL OR c.buried_until <= :now)"


def main() -> None:
    db, profile, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    pid = conn.execute("SELECT id FROM profiles WHERE name = ?", (profile,)).fetchone()[0]
    start = now - (now - 4 * 3_600_000) % 86_400_000
    day = time.strftime("%Y-%m-%d", time.gmtime(start // 1000))
    end = start + 86_400_000
    new_done, reviews_done = conn.execute(
        "SELECT COALESCE(SUM(new), 0), COALESCE(SUM(review_phase), 0) FROM review_days "
        "WHERE profile_id = ? AND day = ?", (pid, day)).fetchone()
    p = {"profile": pid, "now": now, "day_end": end, "horizon": max(end, now + 1)}
    learning, review = conn.execute(
        "SELECT COALESCE(SUM(c.phase IN (1, 3)), 0), COALESCE(SUM(c.phase = 2), 0) FROM cards c "
        "JOIN questions q ON q.qid = c.qid WHERE c.profile_id = :profile AND c.due < :horizon AND c.phase > 0 "
        f"AND c.suspended = 0 AND {NOT_BURIED} AND q.active = 1 "
        "AND CASE WHEN c.phase = 2 THEN c.due < :day_end ELSE c.due <= :now END", p).fetchone()
    room = max(0, 10 - new_done)
    new = 0
    if room:
        new = len(conn.execute(
            "SELECT q.id FROM questions q LEFT JOIN cards c ON c.profile_id = :profile AND c.qid = q.qid "
            f"WHERE q.active = 1 AND (c.qid IS NULL OR (c.phase = 0 AND c.suspended = 0 AND {NOT_BURIED})) "
            "ORDER BY q.position LIMIT :limit", dict(p, limit=room)).fetchall())
    next_due = conn.execute(
        "SELECT c.due FROM cards c JOIN questions q ON q.qid = c.qid WHERE c.profile_id = :profile "
        f"AND c.due IS NOT NULL AND c.phase > 0 AND c.suspended = 0 AND {NOT_BURIED} AND q.active = 1 "
        "ORDER BY c.due LIMIT 1", p).fetchone()
    streak = 0
    for (d,) in conn.execute("SELECT day FROM review_days WHERE profile_id = ? AND day <= ? AND reviews > 0 "
                             "ORDER BY day DESC", (pid, day)):
        expected = time.strftime("%Y-%m-%d", time.gmtime(start // 1000 - streak * 86_400))
        if d != expected:
            break
        streak += 1
    due = min(max(0, 200 - reviews_done), review)
    sys.stdout.write(f"Due now: {due} reviews, {learning} in learning, {new} new.\n")
    if next_due:
        sys.stdout.write(f"Next: {max(0, next_due[0] - now) // 60_000} min\n")
    sys.stdout.write(f"Streak: {streak} days.\n")


main()
