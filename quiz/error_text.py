"""The Arabic of error messages: what `Error: …` says when the interface language is Arabic.

Errors are raised with their English text (`QuizError`, quiz/errors.py), which stays the message's identity, as a
gettext msgid does. At the app's error boundary (`QuizGroup.main`) an Arabic interface looks the formatted English
up here: `TEMPLATES` pairs each English template with its Arabic; the English, its `{placeholders}` read back out
of the message, finds the template, and the values go into the Arabic. A placeholder named `t_…` holds English
words that are themselves looked up (a reason, a file kind, an OS error; kept as they are when not found); one named
`r_…` must be found, or the template does not apply. A message with no template is shown in English, whole.
tests/test_error_text.py checks that every learner-facing error the package raises has its Arabic here.

Wording follows the native reader's review (/work/shared/reviews/arabic-interface.md): its glossary, labels as
nouns, passive past verbs for what happened, names and values quoted «…», Arabic punctuation, a line that begins
with an Arabic word («خطأ:»), and no number put before a noun that would have to agree with it.

Standard library only (and quiz.messages for the counted phrases), imported only when an error is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

PREFIX = "خطأ: "

# English template -> Arabic template. Specific templates come before general ones (the first that fits is used).
TEMPLATES: tuple[tuple[str, str], ...] = (
    # --- questions, eras, kinds, profiles (selection, store, workspace) ---------------------------------------------
    ("no question with id '{id}' ({r_hint})", "لا يوجد سؤال معرّفه «{id}» ({r_hint})"),
    ("see 'quiz list'", "انظر `quiz list`"),
    ("did you mean {names}?", "هل تقصد {names}؟"),
    ("unknown question '{id}'", "سؤال غير معروف: «{id}»"),
    ("--era: unknown era '{era}'; use one of: {names}", "--era: لا توجد حقبة «{era}»؛ اختر واحدة من: {names}"),
    ("--kind: unknown kind '{kind}'; use one of: {names}", "--kind: لا يوجد نوع «{kind}»؛ اختر واحدًا من: {names}"),
    ("{source}: '{value}' is not a language; use {names}", "{source}: «{value}» ليست لغة؛ استعمل: {names}"),
    ("{source}: '{value}' is not a bidi mode; use auto, on or off",
     "{source}: «{value}» ليس وضعًا لعرض العربية؛ استعمل auto أو on أو off"),
    ("--profile: '{name}' is not a usable profile name (1-64 printable characters)",
     "--profile: «{name}» لا يصلح اسمًا للملف الشخصي (من 1 إلى 64 محرفًا قابلًا للطباعة)"),
    ("a profile name cannot be empty; pass --profile NAME",
     "لا يجوز أن يكون اسم الملف الشخصي فارغًا؛ مرّر --profile NAME"),
    ("--no-builtin leaves no bank; add --bank DIR", "لا يبقى أي بنك أسئلة مع --no-builtin؛ أضف --bank DIR"),
    ("name question ids to reset, or pass --all", "اذكر معرّفات الأسئلة التي تريد إعادة ضبطها، أو مرّر --all"),
    ("pass question ids or --all, not both", "مرّر معرّفات الأسئلة أو --all، لا كليهما"),
    ("reset {r_what}: confirm with --yes (no terminal to ask on)",
     "إعادة ضبط {r_what}: أكّد ذلك بالخيار --yes (لا توجد طرفية يُسأل فيها)"),
    ("all progress of profile '{profile}'", "كل تقدّم الملف الشخصي «{profile}»"),
    ("{n} question", "plural:count.questions"),
    ("{n} questions", "plural:count.questions"),
    # --- quiz config ------------------------------------------------------------------------------------------------
    ("unknown setting '{setting}'{r_close}; settings are: {names}",
     "لا يوجد إعداد «{setting}»{r_close}؛ الإعدادات هي: {names}"),
    (" (did you mean '{name}'?)", " (هل تقصد «{name}»؟)"),
    ("{key}: {r_reason}; {r_description}", "{key}: {r_reason}؛ {r_description}"),
    ("'{value}' is not a whole number", "«{value}» ليس عددًا صحيحًا"),
    ("'{value}' must be from {low} to {high}", "«{value}»: يجب أن تكون القيمة من {low} إلى {high}"),
    ("'{value}' is not a number", "«{value}» ليس عددًا"),
    ("'{value}' is not a step like 1m, 10m, 1h or 1d", "«{value}» ليست خطوة مثل 1m أو 10m أو 1h أو 1d"),
    ("'{value}' is not between 1s and 36500d", "«{value}» ليست بين 1s و36500d"),
    ("'{value}' is not a JSON list of numbers", "«{value}» ليست قائمة JSON من الأعداد"),
    ("'{value}' must be a JSON list of numbers", "«{value}»: يجب أن تكون القيمة قائمة JSON من الأعداد"),
    ("'{value}' must be auto, on or off", "«{value}»: يجب أن تكون القيمة auto أو on أو off"),
    ("'{value}' must be true or false", "«{value}»: يجب أن تكون القيمة true أو false"),
    ("'{value}' is not valid ({detail})", "«{value}» قيمة غير صالحة ({detail})"),
    # --- the clock (QUIZ_NOW, QUIZ_TZ) --------------------------------------------------------------------------
    ("'{value}' is not an ISO 8601 time (example: 2026-11-22T09:00:00Z)",
     "«{value}» ليس وقتًا بصيغة ISO 8601 (مثال: 2026-11-22T09:00:00Z)"),
    ("'{value}' is outside the times quiz can schedule (years 1970 to 9899)",
     "«{value}» خارج الأوقات التي يستطيع quiz جدولتها (من عام 1970 إلى عام 9899)"),
    ("give a time in that range", "اكتب وقتًا في هذا المدى"),
    ("the system clock says {moment}, outside the times quiz can schedule (years 1970 to 9899); set the clock",
     "ساعة النظام تشير إلى {moment}، وهذا خارج الأوقات التي يستطيع quiz جدولتها (من عام 1970 إلى عام 9899)؛ "
     "اضبط الساعة"),
    ("'{name}' is not a time zone name (example: Asia/Riyadh)", "«{name}» ليس اسم منطقة زمنية (مثال: Asia/Riyadh)"),
    # --- the progress database ----------------------------------------------------------------------------------
    ("{path} is a directory, not a quiz database; pass --db with the path of a file",
     "المسار {path} مجلد، وليس قاعدة بيانات quiz؛ مرّر --db بمسار ملف"),
    ("{path} does not exist; pass --db with the path of your quiz database",
     "الملف {path} غير موجود؛ مرّر --db بمسار قاعدة بيانات quiz الخاصة بك"),
    ("cannot create the folder {folder} ({t_reason}); pass --db with another path",
     "تعذّر إنشاء المجلد {folder} ({t_reason})؛ مرّر --db بمسار آخر"),
    ("{path} is not a quiz database (it holds other tables); move it away or pass --db with another path",
     "الملف {path} ليس قاعدة بيانات quiz (فيه جداول أخرى)؛ انقله إلى مكان آخر أو مرّر --db بمسار آخر"),
    ("{path} is not a quiz database (file is not SQLite); move it away or pass --db with another path",
     "الملف {path} ليس قاعدة بيانات quiz (ليس ملف SQLite)؛ انقله إلى مكان آخر أو مرّر --db بمسار آخر"),
    ("{path} was written by a newer version of quiz (schema step '{step}'); upgrade quiz to use it",
     "الملف {path} كتبه إصدار أحدث من quiz (خطوة المخطط «{step}»)؛ حدّث quiz لتستعمله"),
    ("{path} is read-only and needs upgrading to this version of quiz; make it writable once, or pass --db with "
     "another path",
     "الملف {path} للقراءة فقط، ويحتاج إلى ترقية لهذا الإصدار من quiz؛ اجعله قابلًا للكتابة مرة واحدة، أو مرّر --db "
     "بمسار آخر"),
    ("cannot back up {path} before upgrading it ({t_reason}); nothing was changed",
     "تعذّر نسخ {path} احتياطيًا قبل ترقيته ({t_reason})؛ لم يتغير شيء"),
    ("{path} is read-only; check the permissions of the file and its folder, or pass --db with another path",
     "الملف {path} للقراءة فقط؛ تحقّق من أذونات الملف ومجلده، أو مرّر --db بمسار آخر"),
    ("{path} is {r_special}, not a quiz database; pass --db with the path of a file; nothing was changed",
     "الملف {path} {r_special}، وليس قاعدة بيانات quiz؛ مرّر --db بمسار ملف؛ لم يتغير شيء"),
    ("{path} is {r_special}, not a quiz database; pass --db with the path of a file",
     "الملف {path} {r_special}، وليس قاعدة بيانات quiz؛ مرّر --db بمسار ملف"),
    ("cannot read {path} ({t_reason}); check its permissions", "تعذّرت قراءة {path} ({t_reason})؛ تحقّق من أذوناته"),
    ("{path} is damaged ({t_detail}); restore a backup (quiz restore) or move it away",
     "قاعدة البيانات {path} تالفة ({t_detail})؛ استعِد نسخة احتياطية (quiz restore) أو انقلها إلى مكان آخر"),
    ("{path} is damaged ({t_detail}); nothing more is written to it; restore the latest good backup: quiz restore "
     "{latest}",
     "قاعدة البيانات {path} تالفة ({t_detail})؛ لن يُكتب فيها شيء بعد الآن؛ استعِد آخر نسخة احتياطية سليمة: "
     "quiz restore {latest}"),
    ("disk full while writing {path}; free some space, nothing was saved of {r_what}",
     "امتلأ القرص أثناء الكتابة في {path}؛ لم يُحفظ شيء من {r_what}؛ أفرغ بعض المساحة"),
    ("{path} is busy: {r_who} kept it locked for 5 seconds; try again",
     "قاعدة البيانات {path} مشغولة: أبقاها {r_who} مقفلة لمدة 5 ثوانٍ؛ حاول مرة أخرى"),
    ("{path} is busy: {r_who} kept it locked for 5 seconds",
     "قاعدة البيانات {path} مشغولة: أبقاها {r_who} مقفلة لمدة 5 ثوانٍ"),
    ("another quiz process", "برنامج quiz آخر"),
    ("another process ({held})", "برنامج آخر ({held})"),
    ("cannot open {path}; check that its folder exists and is writable, or pass --db with another path",
     "تعذّر فتح {path}؛ تحقّق من أن مجلده موجود وقابل للكتابة، أو مرّر --db بمسار آخر"),
    ("cannot read or write {path} (disk I/O error); check the disk, nothing was saved of {r_what}",
     "تعذّرت القراءة من {path} أو الكتابة فيه (خطأ في إدخال القرص أو إخراجه)؛ لم يُحفظ شيء من "
     "{r_what}؛ افحص القرص"),
    ("database error on {path} ({detail}); nothing was saved of {r_what}",
     "خطأ في قاعدة البيانات {path} ({detail})؛ لم يُحفظ شيء من {r_what}"),
    ("'{id}' changed since it was read (answered in another session?); nothing was saved of this answer, read the "
     "card again",
     "تغيّر السؤال «{id}» منذ قراءته (أُجيب عنه في جلسة أخرى؟)؛ لم يُحفظ شيء من هذه الإجابة، فاقرأه مرة أخرى"),
    ("cannot undo the last answer to '{id}': the card changed since (reset, or answered in another session)",
     "تعذّر التراجع عن آخر إجابة عن «{id}»: تغيّر السؤال منذ ذلك الحين (أُعيد ضبطه، أو أُجيب عنه في جلسة أخرى)"),
    ("review {id} is gone (undone in another session?); nothing was changed",
     "المراجعة {id} لم تعد موجودة (أُلغيت في جلسة أخرى؟)؛ لم يتغير شيء"),
    ("cannot change the rating of '{id}': the card changed since (answered in another session?)",
     "تعذّر تغيير تقييم «{id}»: تغيّر السؤال منذ ذلك الحين (أُجيب عنه في جلسة أخرى؟)"),
    # --- quiz backup and quiz restore ---------------------------------------------------------------------------
    ("{path} does not exist, so there is nothing to back up; pass --db with your quiz database",
     "الملف {path} غير موجود، فلا شيء يُنسخ احتياطيًا؛ مرّر --db بقاعدة بيانات quiz الخاصة بك"),
    ("{path} already exists; a backup never overwrites a file, give another path",
     "الملف {path} موجود بالفعل، والنسخ الاحتياطي لا يكتب فوق ملف أبدًا؛ اختر مسارًا آخر"),
    ("the folder {folder} does not exist; create it first or give another path",
     "المجلد {folder} غير موجود؛ أنشئه أولًا أو اختر مسارًا آخر"),
    ("{path} is the database itself; give another path for the backup",
     "المسار {path} هو قاعدة البيانات نفسها؛ اختر مسارًا آخر للنسخة الاحتياطية"),
    ("cannot move {path} aside to {kept} ({t_reason}); nothing was changed",
     "تعذّر نقل {path} جانبًا إلى {kept} ({t_reason})؛ لم يتغير شيء"),
    ("cannot write {path} ({t_reason}); nothing was changed", "تعذّرت الكتابة في {path} ({t_reason})؛ لم يتغير شيء"),
    ("disk full while restoring {path}; free some space and run quiz restore again; nothing was changed",
     "امتلأ القرص أثناء استعادة {path}؛ أفرغ بعض المساحة وشغّل quiz restore مرة أخرى؛ لم يتغير شيء"),
    ("disk full while copying {path} to {folder}; free some space and run quiz restore again; nothing was changed",
     "امتلأ القرص أثناء نسخ {path} إلى {folder}؛ أفرغ بعض المساحة وشغّل quiz restore مرة أخرى؛ لم يتغير شيء"),
    ("{path} is in use by another quiz process (quiz study?); quit it, then run quiz restore again; nothing was "
     "changed",
     "قاعدة البيانات {path} يستعملها برنامج quiz آخر (quiz study؟)؛ أغلقه، ثم شغّل quiz restore مرة أخرى؛ لم يتغير "
     "شيء"),
    ("{path} {r_why}; nothing was changed", "المسار {path} {r_why}؛ لم يتغير شيء"),  # a backup refused to restore
    ("is a directory, not a backup; pass the path of a backup file",
     "مجلد، وليس نسخة احتياطية؛ مرّر مسار ملف نسخة احتياطية"),
    ("does not exist; pass the path of a backup (quiz backup writes them beside the database)",
     "غير موجود؛ مرّر مسار نسخة احتياطية (يكتبها quiz backup بجانب قاعدة البيانات)"),
    ("is {r_special}, not a backup; pass the path of a backup file",
     "{r_special}، وليس نسخة احتياطية؛ مرّر مسار ملف نسخة احتياطية"),
    ("cannot be read ({t_reason}); check its permissions", "تتعذّر قراءته ({t_reason})؛ تحقّق من أذوناته"),
    ("is empty, not a quiz backup", "فارغ، وليس نسخة احتياطية من quiz"),
    ("is not a quiz backup (the file is not an SQLite database)",
     "ليس نسخة احتياطية من quiz (ليس قاعدة بيانات SQLite)"),
    ("is damaged (the file is truncated)", "تالف (الملف مبتور)"),
    ("is damaged (integrity check: {detail})", "تالف (فحص السلامة: {detail})"),
    ("is not a quiz database (it holds other tables)", "ليس قاعدة بيانات quiz (فيه جداول أخرى)"),
    ("is an empty database, not a quiz backup", "قاعدة بيانات فارغة، وليس نسخة احتياطية من quiz"),
    ("was written by a newer version of quiz (schema step '{step}'); upgrade quiz to restore it",
     "كتبه إصدار أحدث من quiz (خطوة المخطط «{step}»)؛ حدّث quiz لتستعيده"),
    ("is not a quiz database (its schema steps are not this program's)",
     "ليس قاعدة بيانات quiz (خطوات مخططه ليست خطوات هذا البرنامج)"),
    ("is damaged (the table '{table}' is missing)", "تالف (الجدول «{table}» مفقود)"),
    ("cannot be restored: it {detail} (a crafted or altered file)",
     "تتعذّر استعادته (ملف مصنوع أو معدَّل): {detail}"),
    ("is locked by another program; close it and try again", "أقفله برنامج آخر؛ أغلق ذلك البرنامج وحاول مرة أخرى"),
    ("is the database itself; pass the path of a backup", "هو قاعدة البيانات نفسها؛ مرّر مسار نسخة احتياطية"),
    ("is damaged ({detail})", "تالف ({detail})"),
    # --- exports ----------------------------------------------------------------------------------------------------
    ("is a folder; give the path of a file to write", "مجلد؛ اختر مسار ملف تُكتب فيه"),
    ("is not a regular file (a device, FIFO or socket); an export never replaces one",
     "ليس ملفًا عاديًا (جهاز أو FIFO أو مقبس)، والتصدير لا يستبدل مثله أبدًا"),
    ("give the path of a file to write", "اختر مسار ملف تُكتب فيه"),
    ("the folder {folder} does not exist", "المجلد {folder} غير موجود"),
    ("create it first", "أنشئه أولًا"),
    ("{path} is not a folder", "المسار {path} ليس مجلدًا"),
    ("already exists and was not written by quiz", "موجود بالفعل، ولم يكتبه quiz"),
    ("pass --force to replace it, or give another path", "مرّر --force لاستبداله، أو اختر مسارًا آخر"),
    ("cannot write the file: permission denied", "تعذّرت كتابة الملف: الإذن مرفوض"),
    ("choose a folder you can write to", "اختر مجلدًا تستطيع الكتابة فيه"),
    ("cannot write the export ({t_reason})", "تعذّرت كتابة ملف التصدير ({t_reason})"),
    ("--deck: give a deck name", "--deck: اكتب اسم رزمة"),
    ("cannot read the revision record ({t_reason})", "تعذّرت قراءة سجل النسخ ({t_reason})"),
    ("the revision record is not valid", "سجل النسخ غير صالح"),
    ("delete it and run `quiz validate --fix` (notes then count as changed now)",
     "احذفه وشغّل `quiz validate --fix` (فتُعدّ الملاحظات متغيّرة الآن)"),
    # --- scheduling and quiz optimize -------------------------------------------------------------------------------
    ("invalid FSRS parameters: {detail}", "معاملات FSRS غير صالحة: {detail}"),
    ("run `quiz optimize` again or remove the profile's fitted parameters",
     "شغّل `quiz optimize` مرة أخرى، أو احذف المعاملات المضبوطة للملف الشخصي"),
    ("no reviews to fit FSRS parameters to", "لا توجد مراجعات تُضبط عليها معاملات FSRS"),
    ("fitting FSRS parameters failed ({detail})", "تعذّر ضبط معاملات FSRS ({detail})"),
    ("the bank cache {path} is damaged; it was removed, run the command again",
     "الذاكرة المؤقتة للبنك {path} تالفة، وقد حُذفت؛ شغّل الأمر مرة أخرى"),
    ("SHELL: '{shell}' is not a shell quiz completes; use bash, zsh or fish",
     "SHELL: «{shell}» ليست واجهة أوامر (shell) يُكمل quiz أوامرها؛ استعمل bash أو zsh أو fish"),
    # --- teachers' tools: add, import, derive, init-bank, validate ---------------------------------------------
    ("--new-era: {spec} is not ID:START-END:TITLE, like {example}",
     "--new-era: {spec} ليست على صيغة ID:START-END:TITLE، مثل {example}"),
    ("--new-era: the id {id} is not lowercase letters, digits and hyphens, like {example}",
     "--new-era: المعرّف {id} ليس حروفًا لاتينية صغيرة وأرقامًا وشرطات، مثل {example}"),
    ("--new-era: {id} starts in {start}, after it ends in {end}; swap them",
     "--new-era: تبدأ الحقبة {id} عام {start}، أي بعد نهايتها عام {end}؛ بدّل بين العامين"),
    ("--format: '{value}' is not a format; use csv, tsv, gift or aiken",
     "--format: «{value}» ليست صيغة؛ استعمل csv أو tsv أو gift أو aiken"),
    ("--format: '{value}' is not a format; use text or github (or --json)",
     "--format: «{value}» ليست صيغة؛ استعمل text أو github (أو --json)"),
    ("--lang: '{value}' is not a language; use ar or en", "--lang: «{value}» ليست لغة؛ استعمل ar أو en"),
    ("{target} already has {count} of the questions in {path} (imported before?); to update them in place, run the "
     "same command with --update",
     "يحوي {target} بالفعل {count} من أسئلة {path} (هل استُوردت سابقًا؟)؛ لتحديثها في مكانها، شغّل "
     "الأمر نفسه مع --update"),
    ("give --era or --new-era, not both", "مرّر --era أو --new-era، لا كليهما"),
    ("--era: unknown era '{era}' (known: {names}); to declare it, give its span and title: --new-era {spec}",
     "--era: لا توجد حقبة «{era}» (المعروفة: {names})؛ لتعريفها، اذكر مداها وعنوانها: --new-era {spec}"),
    ("--new-era: the era '{era}' exists already; use --era {same}",
     "--new-era: الحقبة «{era}» موجودة بالفعل؛ استعمل --era {same}"),
    ("cannot tell the format of {path}; add --format csv, tsv, gift or aiken",
     "تعذّرت معرفة صيغة {path}؛ أضف --format csv أو tsv أو gift أو aiken"),
    ("say where the question goes: --to FILE, or --bank DIR (it goes to DIR/questions.yaml)",
     "حدّد أين يُكتب السؤال: --to FILE، أو --bank DIR (فيُكتب في DIR/questions.yaml)"),
    ("--kind: '{value}' is not a kind; use one of: {names}", "--kind: «{value}» ليس نوعًا؛ اختر واحدًا من: {names}"),
    ("--era is required with --kind (the era id the question belongs to)",
     "الخيار --era مطلوب مع --kind (معرّف الحقبة التي ينتمي إليها السؤال)"),
    ("--item-ar and --item-en must be given the same number of times (one per item)",
     "يجب أن يتكرر --item-ar و--item-en بالعدد نفسه (مرة لكل عنصر)"),
    ("--item-year is given {given} times for {count} items; give one per item or none",
     "تكرر --item-year مرات عددها {given}، وعدد العناصر {count}؛ اذكر عامًا لكل عنصر أو لا تذكره أبدًا"),
    ("--choice-ar and --choice-en must be given the same number of times (one per choice)",
     "يجب أن يتكرر --choice-ar و--choice-en بالعدد نفسه (مرة لكل خيار)"),
    ("--truth: '{value}' is not true or false", "--truth: «{value}» ليست true أو false"),
    ("--source-era and --source-para need --source-doc", "يحتاج --source-era و--source-para إلى --source-doc"),
    ("{path}: no such file", "{path}: لا يوجد ملف بهذا الاسم"),
    ("the output would overwrite the imported file; choose another -o",
     "سيُكتب الناتج فوق الملف المستورد؛ اختر مسارًا آخر للخيار -o"),
    ("the output would overwrite the timeline; choose another -o",
     "سيُكتب الناتج فوق ملف الخط الزمني؛ اختر مسارًا آخر للخيار -o"),
    ("{path} exists; choose another -o (derive never overwrites a file)",
     "الملف {path} موجود بالفعل؛ اختر مسارًا آخر للخيار -o (لا يكتب derive فوق ملف أبدًا)"),
    ("the file changed while the question was being written; run the command again",
     "تغيّر الملف أثناء كتابة السؤال؛ شغّل الأمر مرة أخرى"),
    ("the file is not UTF-8 text; save it as UTF-8 first", "الملف ليس نصًا بترميز UTF-8؛ احفظه بترميز UTF-8 أولًا"),
    ("the file is not UTF-8 text", "الملف ليس نصًا بترميز UTF-8"),
    ("cannot read the file ({t_reason})", "تعذّرت قراءة الملف ({t_reason})"),
    ("not UTF-8 text (byte {byte}); save the file as UTF-8 (or UTF-16, 'Unicode text')",
     "ليس نصًا بترميز UTF-8 (البايت {byte})؛ احفظ الملف بترميز UTF-8 (أو UTF-16، «Unicode text»)"),
    ("not UTF-8 text (byte {byte}); save the file as UTF-8",
     "ليس نصًا بترميز UTF-8 (البايت {byte})؛ احفظ الملف بترميز UTF-8"),
    ("the file starts like UTF-16 text but is not; save it as UTF-8",
     "يبدو الملف في أوله نصًا بترميز UTF-16، لكنه ليس كذلك؛ احفظه بترميز UTF-8"),
    ("there are errors; nothing was written", "توجد أخطاء، فلم يُكتب شيء"),
    ("the file changed during the import; run the command again", "تغيّر الملف أثناء الاستيراد؛ شغّل الأمر مرة أخرى"),
    ("this is a file, not a folder; choose a new folder for the bank",
     "هذا ملف وليس مجلدًا؛ اختر مجلدًا جديدًا لبنك الأسئلة"),
    ("the folder is not empty; choose a new (or empty) folder for the bank",
     "المجلد ليس فارغًا؛ اختر مجلدًا جديدًا (أو فارغًا) لبنك الأسئلة"),
    ("a bank file must be a mapping with keys sources, eras, events, questions",
     "يجب أن يكون ملف البنك قاموسًا مفاتيحه sources وeras وevents وquestions"),
    ("could not add to {path} without changing what is already there; add the question by hand",
     "تعذّرت الإضافة إلى {path} دون تغيير ما فيه؛ أضف السؤال يدويًا"),
    ("could not update '{section}' in {path}: it is not a block list; edit it by hand",
     "تعذّر تحديث «{section}» في {path}: ليس قائمة كتلية (block list)؛ عدّله يدويًا"),
    ("could not update {path} in place without changing anything else; edit it by hand",
     "تعذّر تحديث {path} في مكانه دون تغيير شيء آخر؛ عدّله يدويًا"),
    ("YAML syntax error: {detail}; fix the file first", "خطأ في صياغة YAML: {detail}؛ أصلح الملف أولًا"),
    ("'{section}' must be a list", "يجب أن يكون «{section}» قائمة"),
    # --- the command line itself (Click's messages) -------------------------------------------------------------
    ("No such option: {option} (Possible options: {names})", "لا يوجد خيار {option} (الخيارات الممكنة: {names})"),
    ("No such option: {option} Did you mean {name}?", "لا يوجد خيار {option}. هل تقصد {name}؟"),
    ("No such option: {option}", "لا يوجد خيار {option}"),
    ("No such command '{name}'. Did you mean '{other}'?", "لا يوجد أمر «{name}». هل تقصد «{other}»؟"),
    ("No such command '{name}'.", "لا يوجد أمر «{name}»."),
    ("Missing argument '{name}'.", "ينقص المعامل {name}."),
    ("Missing option '{name}'.", "ينقص الخيار {name}."),
    ("Option '{name}' requires an argument.", "يحتاج الخيار {name} إلى قيمة."),
    ("Got unexpected extra argument(s) ({names})", "معاملات زائدة غير متوقعة: {names}"),
    ("Got unexpected extra argument ({names})", "معامل زائد غير متوقع: {names}"),
    ("Got unexpected extra arguments ({names})", "معاملات زائدة غير متوقعة: {names}"),
    ("Invalid value for {name}: {t_detail}", "قيمة غير صالحة للخيار {name}: {t_detail}"),
    ("Input should be greater than or equal to {n}", "يجب أن تكون القيمة {n} أو أكثر"),
    ("Input should be less than or equal to {n}", "يجب أن تكون القيمة {n} أو أقل"),
    ("Input should be a valid integer, unable to parse string as an integer", "يجب أن تكون القيمة عددًا صحيحًا"),
    ("see '{command} --help'", "انظر `{command} --help`"),
    # --- the boundary's own lines -------------------------------------------------------------------------------
    ("Aborted.", "أُلغي الأمر."),
    ("Interrupted.", "أُوقف الأمر."),
    ("internal error ({detail}); please report it, and rerun with QUIZ_DEBUG=1 to see the traceback",
     "خطأ داخلي ({detail})؛ أبلغ عنه من فضلك، وأعد تشغيل الأمر مع QUIZ_DEBUG=1 لترى تتبّع الخطأ"),
    # --- words that fill placeholders -------------------------------------------------------------------------------
    ("the database", "قاعدة البيانات"),
    ("this answer", "هذه الإجابة"),
    ("a FIFO (named pipe)", "أنبوب مسمّى (FIFO)"),
    ("a socket", "مقبس (socket)"),
    ("a device", "جهاز"),
    ("the file is truncated", "الملف مبتور"),
    ("database disk image is malformed", "صورة قاعدة البيانات على القرص مشوّهة"),
    ("Permission denied", "الإذن مرفوض"),
    ("No such file or directory", "لا يوجد ملف أو مجلد بهذا الاسم"),
    ("Read-only file system", "نظام الملفات للقراءة فقط"),
    ("No space left on device", "لا توجد مساحة كافية على القرص"),
    ("Not a directory", "ليس مجلدًا"),
    ("Is a directory", "هذا مجلد"),
    ("File exists", "الملف موجود"),
    ("Operation not permitted", "العملية غير مسموح بها"),
)

PATTERNS: dict[str, str] = {
    "key": r"[a-z_]+",
    "n": r"[0-9]+",
    "low": r"-?[0-9.]+",
    "high": r"-?[0-9.]+",
    # the reason a backup is refused starts with one of these verbs: the path before it may hold spaces
    "r_why": r"(?:is|does|cannot|was) .*",
    "r_close": r"(?: \(did you mean '[^']*'\?\))?",
}
"""What a placeholder may hold, where `.*?` (anything, as little as possible) would be ambiguous."""

Piece = tuple[str, "re.Pattern[str] | None"]  # noqa: UP037
"""A template's parts: a literal (pattern None), or a placeholder's name and what it may hold."""

_COMPILED: list[tuple[re.Pattern[str], tuple[Piece, ...], str]] | None = None


def _compile() -> list[tuple[re.Pattern[str], tuple[Piece, ...], str]]:
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = []
        for english, arabic in TEMPLATES:
            parts: list[str] = []
            pieces: list[Piece] = []
            seen: set[str] = set()
            last = 0
            for match in re.finditer(r"\{(\w+)\}", english):
                parts.append(re.escape(english[last:match.start()]))
                pieces.append((english[last:match.start()], None))
                name = match.group(1)
                parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{PATTERNS.get(name, '.*?')})")
                pieces.append((name, re.compile(PATTERNS.get(name, ".*"), re.DOTALL)))
                seen.add(name)
                last = match.end()
            parts.append(re.escape(english[last:]))
            pieces.append((english[last:], None))
            _COMPILED.append((re.compile("".join(parts), re.DOTALL), tuple(p for p in pieces if p != ("", None)),
                              arabic))
    return _COMPILED


def _splits(text: str, pieces: tuple[Piece, ...], start: int = 0,
            values: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Every way `text[start:]` reads as `pieces`, shortest values first (as the regex's `.*?` would): a path may
    hold " is " or " (", so when the first split's `r_` part has no Arabic the next one is tried."""
    values = {} if values is None else values
    if not pieces:
        if start == len(text):
            yield dict(values)
        return
    (name, pattern), rest = pieces[0], pieces[1:]
    if pattern is None:
        if text.startswith(name, start):
            yield from _splits(text, rest, start + len(name), values)
        return
    if rest and rest[0][1] is None:  # the next literal bounds the value: try each place it occurs
        ends: Iterator[int] = (m.start() for m in re.finditer(f"(?={re.escape(rest[0][0])})", text[start:]))
        ends = (start + end for end in ends)
    elif rest:
        ends = iter(range(start, len(text) + 1))
    else:
        ends = iter((len(text),))
    for end in ends:
        value = text[start:end]
        if name in values and values[name] != value or pattern.fullmatch(value) is None:
            continue
        had = name in values
        values[name] = value
        yield from _splits(text, rest, end, values)
        if not had:
            del values[name]


def _config_descriptions() -> dict[str, str]:
    """`quiz config`'s descriptions of its settings (English -> Arabic), as quiz.messages has them."""
    from quiz.messages import catalogue

    return {english: arabic for key, (english, arabic) in catalogue().items() if key.startswith("config.")}


def arabic(text: str, _depth: int = 0) -> str | None:
    """The Arabic of an English message (or of a part of one); None when there is none."""
    if not text:
        return text
    if _depth > 4:
        return None
    description = _config_descriptions().get(text)
    if description is not None:
        return description
    for pattern, pieces, template in _compile():
        if pattern.fullmatch(text) is None:
            continue
        for split in _splits(text, pieces):
            values = _looked_up(split, _depth)
            if values is None:
                continue
            if template.startswith("plural:"):
                from quiz.messages import say

                return say(template.removeprefix("plural:"), "ar", n=int(values["n"]))
            if "names" in values:
                values["names"] = _listed(values["names"])
            return template.format(**values)
    return None


def _listed(names: str) -> str:
    """A list of names as Arabic writes it: each quoted «…» and separated by «،» (straight quotes and commas are
    moved to the wrong end of an id when quiz reorders the line)."""
    return re.sub(r"'([^']*)'", r"«\1»", names).replace(", ", "، ")


def _looked_up(split: dict[str, str], depth: int) -> dict[str, str] | None:
    """The values of one split, `t_` and `r_` parts in Arabic; None when an `r_` part has none."""
    values: dict[str, str] = {}
    for name, value in split.items():
        if name.startswith(("r_", "t_")):
            shown = arabic(value, depth + 1)
            if shown is None and name.startswith("r_"):
                return None
            values[name] = value if shown is None else shown
        else:
            values[name] = value
    return values


def error_line(message: str, *, where: str | None = None, hint: str | None = None) -> str | None:
    """The whole Arabic line of an error, `خطأ: <where>: <message> (<hint>)`; None unless every part has its
    Arabic."""
    text = arabic(message)
    if text is None:
        return None
    if hint:
        shown_hint = arabic(hint)
        if shown_hint is None:
            return None
        text = f"{text} ({shown_hint})"
    return PREFIX + (f"{where}: {text}" if where else text)
