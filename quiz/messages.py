"""The interface's own words, in Arabic and English (`--help` stays English)."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs ~7 ms, and `quiz due`'s fast path prints these words
if TYPE_CHECKING:
    from typing import Literal

    from quiz.model import Bank, Question

    Lang = Literal["ar", "en"]
else:
    Lang = str

CATALOG: dict[str, tuple[str, str]] = {
    # key: (English, Arabic)
    "position": ("Question {n} of {total}", "السؤال {n} من {total}"),
    "kind.choice": ("multiple choice", "اختيار من متعدد"),
    "kind.typed": ("typed answer", "إجابة مكتوبة"),
    "kind.truefalse": ("true or false", "صح أم خطأ"),
    "kind.order": ("chronological order", "ترتيب زمني"),
    "kind.cloze": ("fill in the blank", "أكمل الفراغ"),
    "kind.card": ("flashcard", "بطاقة"),
    "source": ("Source: {parts}", "المصدر: {parts}"),
    "source.none": ("No source", "بلا مصدر"),
    "source.intro": ("introduction", "المقدمة"),
    "source.para": ("paragraph {n}", "الفقرة {n}"),
    "new": ("new", "جديد"),
    "review": ("review", "مراجعة"),
    "learning": ("learning", "قيد التعلّم"),
    "again": ("again", "مرة أخرى"),
    "counts": ("Left: {new} new · {learning} learning · {review} review",
               "المتبقي — جديد: {new} · قيد التعلّم: {learning} · للمراجعة: {review}"),
    "first_hint": ("Type ? at any prompt for help.", "اكتب ? في أي وقت لعرض المساعدة."),
    "ahead": ("Only questions in learning are left: this one is shown early (due {when}).",
              "لم يبقَ إلا أسئلة قيد التعلّم: يُعرض هذا السؤال مبكرًا (موعده {when})."),
    "prompt.choice": ("Your answer (number or text): ", "إجابتك (رقم الخيار أو نصه): "),
    "prompt.typed": ("Your answer: ", "إجابتك: "),
    "prompt.cloze": ("Fill in the blank: ", "أكمل الفراغ: "),
    "prompt.truefalse": ("True or false? (t/f): ", "صح أم خطأ؟ (ص/خ): "),
    "prompt.order": ("Order, oldest first (e.g. 3 1 2 or c a b): ",
                     "رتّب من الأقدم إلى الأحدث (مثلًا 3 1 2 أو ج أ ب): "),
    "prompt.card": ("Press Enter to see the answer ", "اضغط Enter لإظهار الإجابة "),
    "prompt.rate": ("Enter to accept, or rate 1-4: ", "اضغط Enter لقبول التقييم المقترح، أو قيّم من 1 إلى 4: "),
    "prompt.preview": ("Enter = {rating} ({when}) · {others}: ", "اضغط Enter لقبول «{rating}» ({when}) · {others}: "),
    "prompt.preview.key": ("{digit} {rating} {when}", "{digit} «{rating}» {when}"),
    "prompt.recall": ("How well did you recall it? ", "ما مدى تذكّرك؟ "),
    "prompt.rate_card": ("How well did you recall it? 1 again, 2 hard, 3 good, 4 easy [3]: ",
                         "ما مدى تذكّرك؟ 1 مرة أخرى، 2 صعب، 3 جيد، 4 سهل [3]: "),
    "invalid.choice": ("Type a number from 1 to {n}, or the text of an option.",
                       "اكتب رقمًا من 1 إلى {n}، أو نص أحد الخيارات."),
    "invalid.truefalse": ("Type t (true) or f (false); y/n, ص/خ and نعم/لا work too.",
                          "اكتب ص (صح) أو خ (خطأ)؛ وتُقبل أيضًا نعم/لا، وكذلك t/f."),
    "invalid.order": ("Give all {n} items in order, e.g. {example}.",
                      "اكتب أرقام العناصر أو حروفها كلها ({n}) بالترتيب، مثلًا: {example}."),
    "near_miss": ("Close — check the spelling and try again.", "قريبة من الصواب: راجع الكتابة وحاول مرة أخرى."),
    "answer_in": ("Answer in English, please.", "اكتب الإجابة بالعربية من فضلك."),
    "invalid.empty": ("Type an answer (or ? for help).", "اكتب إجابة (أو ? للمساعدة)."),
    "invalid.nul": ("That line holds a NUL character (Ctrl-@ or Ctrl-Space), which cannot be an answer: type it "
                    "again.", "يحتوي السطر على محرف NUL (Ctrl-@ أو Ctrl-Space) ولا يصلح إجابة: اكتبه مرة أخرى."),
    "busy": ("Not saved: {why}. Type your answer again (or q to quit).",
             "لم يُحفظ: {why}. اكتب إجابتك مرة أخرى (أو q للخروج)."),
    "invalid.rating": ("Press Enter, or type 1, 2, 3 or 4.", "اضغط Enter، أو اكتب 1 أو 2 أو 3 أو 4."),
    "right": ("Right!", "إجابة صحيحة!"),
    "near": ("Right — it is spelled: {expected}", "إجابة صحيحة، وتُكتب هكذا: {expected}"),
    "partial": ("Almost: one item is out of place.", "اقتربت: عنصر واحد في غير مكانه."),
    "wrong": ("Not quite.", "إجابة غير صحيحة."),
    "picked": ("You picked: {given}", "اخترت: {given}"),
    "dont_know": ("Here is the answer; it comes back soon.", "هذه هي الإجابة، وسيعود السؤال قريبًا."),
    "answer": ("Answer: {answer}", "الإجابة: {answer}"),
    "your_answer": ("You answered: {given}", "إجابتك: {given}"),
    "comes_back": ("Comes back {when}.", "يعود هذا السؤال {when}."),
    "rated": ("Rated {rating}: comes back {when}.", "التقييم: «{rating}»، ويعود هذا السؤال {when}."),
    "undone": ("Undone: the last answer was taken back.", "أُلغيت الإجابة الأخيرة."),
    "nothing_to_undo": ("Nothing to undo in this session.", "لا شيء للتراجع عنه في هذه الجلسة."),
    "changed_elsewhere": ("Left as it was: this card was answered or reset elsewhere in the meantime.",
                          "لم يتغير شيء: أُجيب عن هذا السؤال أو أُعيد ضبطه من مكان آخر في هذه الأثناء."),
    "skipped": ("Skipped until tomorrow.", "أُجِّل السؤال إلى الغد."),
    "help": ("Keys at any prompt: u undo the last answer, s skip until tomorrow, q quit, ? this help.",
             "مفاتيح متاحة في أي وقت: u للتراجع عن آخر إجابة، s لتأجيل السؤال إلى الغد، q للخروج، "
             "? لعرض هذه المساعدة."),
    "help.choice": ("Type the number of an option or its text (its first letters are enough when no other option "
                    "starts with them); - = I don't know.",
                    "اكتب رقم الخيار أو نصه (تكفي بداية النص إن لم يبدأ بها خيار آخر)؛ و- تعني «لا أعرف»."),
    "help.typed": ("Type the answer; small spelling slips are accepted. An empty line (or -) = I don't know: the "
                   "answer is shown.",
                   "اكتب الإجابة، وتُقبل الأخطاء الإملائية الصغيرة. السطر الفارغ (أو -) يعني «لا أعرف»: تظهر الإجابة."),
    "help.cloze": ("Type the missing words; small spelling slips are accepted. An empty line (or -) = I don't know.",
                   "اكتب الكلمات الناقصة، وتُقبل الأخطاء الإملائية الصغيرة. السطر الفارغ (أو -) يعني «لا أعرف»."),
    "help.truefalse": ("Type t (true) or f (false); y/n, ص/خ work too; - = I don't know.",
                       "اكتب ص (صح) أو خ (خطأ)، وتُقبل أيضًا نعم/لا؛ و- تعني «لا أعرف»."),
    "help.order": ("Type the numbers (or letters) of all items, oldest first, e.g. 3 1 2 or c a b; - = I don't know.",
                   "اكتب أرقام العناصر أو حروفها كلها من الأقدم إلى الأحدث، مثلًا 3 1 2 أو ج أ ب؛ و- تعني «لا أعرف»."),
    "help.card": ("Recall the answer, press Enter to see it, then rate how well you knew it.",
                  "تذكّر الإجابة، ثم اضغط Enter لإظهارها، وقيّم مدى تذكّرك."),
    "help.rate": ("Enter accepts the suggested rating; 1 Again, 2 Hard, 3 Good, 4 Easy change it.",
                  "يقبل Enter التقييم المقترح، وتغيّره الأرقام: 1 مرة أخرى، 2 صعب، 3 جيد، 4 سهل."),
    "nothing_due": ("Nothing is due now. Next question: {when}.", "لا أسئلة مستحقة الآن. السؤال التالي: {when}."),
    "nothing_at_all": ("Nothing to study: no questions match.", "لا شيء للدراسة: لا توجد أسئلة تطابق اختيارك."),
    "all_done_today": ("All done for today.", "أنهيت أسئلة اليوم كلها."),
    "summary.title": ("Session summary", "ملخص الجلسة"),
    "summary.answered": ("Answered", "الإجابات"),
    "summary.correct": ("Correct", "الصحيحة"),
    "summary.accuracy": ("Accuracy", "الدقة"),
    "summary.time": ("Time", "الوقت"),
    "summary.streak": ("Streak", "أيام متتالية"),
    "summary.later_today": ("Still due today", "المستحق لاحقًا اليوم"),
    "summary.tomorrow": ("Due tomorrow", "المستحق غدًا"),
    "day": ("1 day", "يوم واحد"),
    "status.due": ("Due now: {due} to review, {learning} in learning, {new} new.",
                   "المستحق الآن — للمراجعة: {due}، قيد التعلّم: {learning}، جديد: {new}."),
    "status.streak": ("Streak: {streak}.", "أيام متتالية: {streak}."),
    "status.next": ("Next review: {when}.", "المراجعة التالية: {when}."),
    "status.hint": ("Run `quiz study` to start.", "شغّل `quiz study` للبدء."),
    "rating.1": ("Again", "مرة أخرى"),
    "rating.2": ("Hard", "صعب"),
    "rating.3": ("Good", "جيد"),
    "rating.4": ("Easy", "سهل"),
    "true": ("True", "صح"),
    "false": ("False", "خطأ"),
    "when.now": ("now", "الآن"),
    "when.day": ("tomorrow", "غدًا"),
    "when.never": ("nothing scheduled", "لا شيء مجدول"),
    "already_suspended": ("{id} was already suspended.", "السؤال {id} معلّق من قبل."),
    "not_suspended": ("{id} was not suspended.", "السؤال {id} لم يكن معلّقًا."),
    "reset.nothing": ("Nothing was reset.", "لم يُعَد ضبط شيء."),
    "progress.new": ("Your progress: new, not studied yet.", "تقدّمك: سؤال جديد لم تدرسه بعد."),
    "progress.line": ("Your progress: {state} · due {when} · forgotten: {lapses} · answers: {reps}",
                      "تقدّمك: {state} · موعده {when} · مرات النسيان: {lapses} · الإجابات: {reps}"),
    "progress.learning": ("learning", "قيد التعلّم"),
    "progress.review": ("in review", "قيد المراجعة"),
    "progress.relearning": ("relearning", "قيد إعادة التعلّم"),
    "progress.suspended": ("Suspended: `quiz unsuspend {id}` schedules it again.",
                           "معلّق: يعيد الأمر `quiz unsuspend {id}` جدولته."),
    "progress.leech": ("A leech: forgotten again and again.", "من الأسئلة المستعصية: نُسيت إجابته مرة بعد مرة."),
    "backup.done": ("Backed up {db} to {path} ({what}).", "نُسخت قاعدة البيانات {db} احتياطيًا إلى {path} ({what})."),
    "restore.done": ("Restored {db} from {path} ({what})", "استُعيدت قاعدة البيانات {db} من {path} ({what})"),
    "restore.kept": ("; the previous database is kept as {kept}", "، وحُفظت قاعدة البيانات السابقة باسم {kept}"),
    "restore.damaged": ("; the damaged database was moved to {kept}", "، ونُقلت قاعدة البيانات التالفة إلى {kept}"),
    "config.default": ("(default)", "(القيمة الافتراضية)"),
    "config.new_per_day": ("new questions introduced per day", "الأسئلة الجديدة في اليوم"),
    "config.reviews_per_day": ("reviews per day", "المراجعات في اليوم"),
    "config.desired_retention": ("the probability of recall FSRS aims for (0.70-0.99)",
                                 "احتمال التذكّر الذي يستهدفه FSRS (من 0.70 إلى 0.99)"),
    "config.maximum_interval": ("the longest interval, in days", "أطول فاصل مراجعة، بالأيام"),
    "config.learning_steps": ("learning steps for new questions, e.g. '1m 10m'",
                              "خطوات التعلّم للأسئلة الجديدة، مثلًا '1m 10m'"),
    "config.relearning_steps": ("relearning steps after a lapse, e.g. '10m'",
                                "خطوات إعادة التعلّم بعد النسيان، مثلًا '10m'"),
    "config.leech_threshold": ("lapses after which a question is marked a leech",
                               "عدد مرات النسيان التي يصير بعدها السؤال مستعصيًا"),
    "config.fsrs_parameters": ("personal FSRS parameters (set by quiz optimize); JSON list",
                               "معاملات FSRS الخاصة بك (يضبطها quiz optimize)؛ قائمة JSON"),
    "config.bidi": ("Arabic layout: auto (by terminal), on (quiz reorders) or off (the terminal does)",
                    "عرض العربية: auto (حسب الطرفية)، on (يرتّبها quiz)، off (ترتّبها الطرفية)"),
    "config.bury_siblings": ("show at most one question per fact a day, none revealing another (true or false)",
                             "سؤال واحد على الأكثر عن كل حدث في اليوم، ولا سؤال يكشف إجابة غيره (true أو false)"),
    "interrupted": ("Interrupted: everything you answered is saved.", "توقفت الجلسة: حُفظ كل ما أجبت عنه."),
    # --- quiz stats, quiz history, quiz optimize -----------------------------------------------------------------
    "stats.title": ("Progress of {profile}", "تقدّم {profile}"),
    "stats.title_era": ("Progress of {profile} · era {era}", "تقدّم {profile} · الحقبة {era}"),
    "stats.nothing": ("No answers yet: run `quiz study` to start.", "لا إجابات بعد: شغّل `quiz study` للبدء."),
    "stats.today": ("Today", "اليوم"),
    "stats.today_line": ("Today: {due} due · {done} done · {learned} · streak: {streak}",
                         "اليوم — المستحق: {due} · أنجزت {done} · {learned} · أيام متتالية: {streak}"),
    # {weeks}, {total} and {days} are the counting messages stats.heatmap.weeks, stats.answers, stats.heatmap.days
    "stats.heatmap": ("Answers per day, {weeks}: {total} {days}", "الإجابات يوميًا، {weeks}: {total} {days}"),
    "stats.less": ("less", "أقل"),
    "stats.more": ("more", "أكثر"),
    "stats.weekday.0": ("Mon", "ن"),
    "stats.weekday.2": ("Wed", "ر"),
    "stats.weekday.4": ("Fri", "ج"),
    "stats.retention": ("True retention (answers to cards in review, recalled)",
                        "نسبة التذكر الفعلية (إجابات البطاقات قيد المراجعة التي تُذكّرت)"),
    "stats.retention.7": ("last 7 days", "آخر 7 أيام"),
    "stats.retention.30": ("last 30 days", "آخر 30 يومًا"),
    "stats.retention.desired": ("desired", "المستهدفة"),
    "stats.retention.none": ("no reviews yet", "لا مراجعات بعد"),
    "stats.forecast": ("Due in the next 30 days: {total} (today {today}, next 7 days {week})",
                       "المستحق في الثلاثين يومًا القادمة: {total} (اليوم {today}، الأيام السبعة القادمة {week})"),
    "stats.mastery": ("Mastery by era", "الإتقان حسب الحقبة"),
    "stats.era": ("era", "الحقبة"),
    "stats.state.new": ("new", "جديد"),
    "stats.state.learning": ("learning", "قيد التعلّم"),
    "stats.state.young": ("young", "يافع"),
    "stats.state.mature": ("mature", "ناضج"),
    "stats.mature_note": ("mature: interval of 21 days or more", "ناضج: فاصل المراجعة 21 يومًا أو أكثر"),
    "stats.hardest": ("Hardest questions", "أصعب الأسئلة"),
    "stats.most_lapses": ("Most forgotten", "الأكثر نسيانًا"),
    "stats.lowest": ("Lowest recall now", "الأضعف تذكرًا الآن"),
    "stats.leeches": ("Leeches: {n}", "الأسئلة المستعصية: {n}"),
    "stats.question": ("question", "السؤال"),
    "stats.lapse": ("1 lapse", "نُسي مرة واحدة"),
    "stats.recall": ("recall now", "التذكر الآن"),
    "stats.leech": ("leech", "مستعصٍ"),
    "stats.none": ("none", "لا شيء"),
    "stats.time": ("Time spent", "الوقت المستغرق"),
    "stats.time.today": ("today", "اليوم"),
    "stats.time.week": ("last 7 days", "آخر 7 أيام"),
    "stats.time.total": ("all time", "الإجمالي"),
    "duration.s": ("{s} s", "{s} ث"),
    "duration.m": ("{m} min", "{m} د"),
    "duration.h": ("{h} h", "{h} س"),
    "duration.hm": ("{h} h {m:02d} min", "{h} س {m:02d} د"),
    "history.title": ("History of {id}", "سجلّ السؤال {id}"),
    "history.none": ("No answers to {id} yet.", "لا إجابات عن السؤال {id} بعد."),
    "history.when": ("when", "التاريخ"),
    "history.answer": ("answer", "الإجابة"),
    "history.rating": ("rating", "التقييم"),
    "history.interval": ("interval", "الفاصل"),
    "history.stability": ("stability (d)", "الثبات (يوم)"),
    "history.recall": ("recall then", "التذكر حينها"),
    # {answers}: stats.answers of {reviews}; {usable_reviews}: optimize.usable of {usable}. The Arabic puts bare
    # numbers after labels, which needs no agreement (the native reader's wording).
    "optimize.not_enough": (
        "Not enough reviews to fit your own parameters yet: {usable} usable of {needed} needed (a usable review "
        "comes at least a day after the question's previous answer; {answers} in all). The default "
        "parameters stay.",
        "لا توجد بعدُ مراجعات كافية لضبط معاملاتك الخاصة: الصالح منها {usable}، والمطلوب {needed} (المراجعة الصالحة "
        "هي التي تأتي بعد يوم على الأقل من آخر إجابة عن السؤال نفسه؛ وعدد الإجابات كلها: {reviews}). ستبقى "
        "المعاملات الافتراضية."),
    "optimize.split": (
        "{answers}, {usable_reviews}: fitted on the earlier {train}, tested on the later {test} (from {since}).",
        "{answers}، منها {usable_reviews}. ضُبطت المعاملات على الأقدم منها ({train}) واختُبرت على الأحدث ({test}، "
        "منذ {since})."),
    "optimize.params": ("parameters", "المعاملات"),
    "optimize.default": ("default", "الافتراضية"),
    "optimize.current": ("current", "الحالية"),
    "optimize.fitted": ("fitted", "المضبوطة"),
    "optimize.log_loss": ("log loss", "الخسارة اللوغاريتمية"),
    "optimize.rmse": ("RMSE (bins)", "RMSE (بالفئات)"),
    "optimize.auc": ("AUC", "AUC"),
    "optimize.lower": ("lower is better except AUC", "القيمة الأدنى أفضل، إلا في AUC."),
    "optimize.saved": ("The fitted parameters predict better: saved for profile {profile}.",
                       "المعاملات المضبوطة أدقّ في التنبؤ، فحُفظت للملف الشخصي «{profile}»."),
    "optimize.dry_run": ("The fitted parameters predict better; not saved (--dry-run).",
                         "المعاملات المضبوطة أدقّ في التنبؤ، لكنها لم تُحفظ (--dry-run)."),
    "optimize.kept": ("The fitted parameters do not predict better on the later reviews: nothing was changed.",
                      "المعاملات المضبوطة ليست أدقّ في التنبؤ بالمراجعات الأحدث، فلم يتغير شيء."),
}


# Messages that count something: (English one, English other). They are also the msgid / msgid_plural of the
# Arabic catalogue (quiz/locale/ar/LC_MESSAGES/quiz.po, msgctxt = the key), which gives Arabic's six forms.
PLURALS: dict[str, tuple[str, str]] = {
    "days": ("{n} day", "{n} days"),
    "when.minutes": ("in {n} min", "in {n} min"),
    "when.hours": ("in {n} h", "in {n} h"),
    "when.days": ("in {n} day", "in {n} days"),
    "when.months": ("in {n} month", "in {n} months"),
    "when.years": ("in {n} year", "in {n} years"),
    "span.minutes": ("{n} min", "{n} min"),
    "span.hours": ("{n} h", "{n} h"),
    "span.days": ("{n} day", "{n} days"),
    "span.months": ("{n} month", "{n} months"),
    "span.years": ("{n} year", "{n} years"),
    "leech": ("This question has been forgotten once: it is now marked a leech. You can suspend it with "
              "`quiz suspend {id}`, then rewrite it in your own words.",
              "This question has been forgotten {n} times: it is now marked a leech. You can suspend it with "
              "`quiz suspend {id}`, then rewrite it in your own words."),
    "stats.lapses": ("{n} lapse", "{n} lapses"),
    "stats.retention.n": ("({n} review)", "({n} reviews)"),
    "stats.answers": ("{n} answer", "{n} answers"),
    "stats.learned": ("{n} new learned", "{n} new learned"),
    "history.count": ("{n} answer", "{n} answers"),
    "questions.suspended": ("Suspended {n} question.", "Suspended {n} questions."),
    "questions.unsuspended": ("Unsuspended {n} question.", "Unsuspended {n} questions."),
    "questions.reset": ("Reset {n} question to new.", "Reset {n} questions to new."),
    "count.profiles": ("{n} profile", "{n} profiles"),
    "stats.heatmap.weeks": ("last week", "last {n} weeks"),
    "stats.heatmap.days": ("on {active} of {n} day", "on {active} of {n} days"),
    "optimize.usable": ("{n} usable review", "{n} usable reviews"),
    "count.questions": ("{n} question", "{n} questions"),
}

DOMAIN = "quiz"
_ARABIC: object | None = None


def arabic_catalogue() -> object:
    """The compiled Arabic catalogue (`gettext.GNUTranslations`), loaded on first use: a count in Arabic."""
    global _ARABIC
    if _ARABIC is None:
        import gettext
        from pathlib import Path

        _ARABIC = gettext.translation(DOMAIN, Path(__file__).resolve().parent / "locale", languages=["ar"])
    return _ARABIC


def plural_category(n: int) -> str:
    """Arabic's CLDR plural category of `n`: zero, one, two, few (n mod 100 = 3–10), many (11–99), other."""
    if n == 0:
        return "zero"
    if n == 1:
        return "one"
    if n == 2:
        return "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


def say(key: str, lang: Lang, **values: object) -> str:
    """The message `key` in `lang`, with its placeholders filled; a counting message (PLURALS) takes the form
    its `n` needs (Arabic: the catalogue's six forms, through gettext)."""
    if key in PLURALS:
        n = int(values.get("n", 0))  # type: ignore[call-overload]
        one, other = PLURALS[key]
        if lang == "ar":
            template = arabic_catalogue().npgettext(key, one, other, n)  # type: ignore[attr-defined]
        else:
            template = one if n == 1 else other
        return str(template).format(**values)
    english, arabic = CATALOG[key]
    template = arabic if lang == "ar" else english
    return template.format(**values) if values else template


def _in_units(seconds: float, prefix: str, lang: Lang) -> str:
    """`seconds` in minutes under an hour, hours under a day, days under 60, months under two years, else years:
    the messages `PREFIX.minutes` ... `PREFIX.years`."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return say(f"{prefix}.minutes", lang, n=minutes)
    hours = round(seconds / 3600)
    if hours < 24:
        return say(f"{prefix}.hours", lang, n=hours)
    days = round(seconds / 86400)
    if days < 60:
        return say(f"{prefix}.days", lang, n=days)
    if days < 730:
        return say(f"{prefix}.months", lang, n=round(days / 30.4))
    return say(f"{prefix}.years", lang, n=round(days / 365.25))


def span(seconds: float, lang: Lang) -> str:
    """A length of time: '10 min', '4 days', «10 دقائق», «يومان» (the rating prompt's intervals)."""
    return _in_units(seconds, "span", lang)


def humanize_delta(seconds: float, lang: Lang) -> str:
    """'in 10 min', 'in 3 days', 'tomorrow', … for a time that far in the future."""
    if seconds < 60:
        return say("when.now", lang)
    if round(seconds / 3600) >= 24 and round(seconds / 86400) <= 1:
        return say("when.day", lang)
    return _in_units(seconds, "when", lang)


def duration(seconds: float, lang: Lang) -> str:
    """'45 s', '12 min', '3 h 05 min'."""
    total = int(round(seconds))
    if total < 60:
        return say("duration.s", lang, s=total)
    minutes = total // 60
    if minutes < 60:
        return say("duration.m", lang, m=minutes)
    return say("duration.hm", lang, h=minutes // 60, m=minutes % 60)


def interval(days: float | None, lang: Lang) -> str:
    """An interval in days as the learner thinks of it: '10 min', '3 h', '12 days'."""
    if days is None:
        return "—"
    seconds = days * 86400
    if seconds < 3600:
        return say("duration.m", lang, m=max(1, round(seconds / 60)))
    if days < 1:
        return say("duration.h", lang, h=round(seconds / 3600))
    return say("day", lang) if round(days) == 1 else say("days", lang, n=round(days))


def kind_label(kind: str, lang: Lang) -> str:
    """What a question kind (a `Kind`, or its value) is called: 'multiple choice', 'اختيار من متعدد', …"""
    return say("kind." + getattr(kind, "value", kind), lang)


def source_line(question: Question, bank: Bank, lang: Lang) -> str:
    """'Source: <document title>, <era>, paragraph N' in the given language."""
    source = question.source
    if source is None:
        return say("source.none", lang)
    doc = bank.document(source.doc)
    title = doc.title.get(lang) if doc else source.doc
    parts = [title]
    if doc and doc.published:
        parts[0] += f" ({doc.published})"
    if doc and doc.author:
        parts.append(doc.author)
    if source.era == "intro":
        parts.append(say("source.intro", lang))
    elif source.era:
        era = bank.era(source.era)
        parts.append(era.title.get(lang) if era else source.era)
    if source.para is not None:
        parts.append(say("source.para", lang, n=source.para))
    return say("source", lang, parts=("، " if lang == "ar" else ", ").join(parts))
