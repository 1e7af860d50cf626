"""`Store`: the progress database's one facade, made of the parts that each own one concern (see `quiz.store`)."""

from __future__ import annotations

from quiz.store.answers import Answers
from quiz.store.cards import Cards
from quiz.store.exports import Exports
from quiz.store.profiles import Profiles
from quiz.store.reviews import Reviews
from quiz.store.stats import Stats
from quiz.store.sync import BankSync


class Store(Profiles, BankSync, Cards, Answers, Reviews, Exports, Stats):
    """A learner progress database (several profiles may share one file). Use `Store.open(path)`."""
