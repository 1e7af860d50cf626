/* timeline-quiz: the quiz's answer matching (quiz/grading.py), for typed cards in Anki.
 * The same verdict as `quiz study`: alternatives, year tolerance, Arabic-Indic digits, Arabic folding, spelling
 * allowance, optional article, exact numbers, no matching across scripts. Inline in card templates, so it
 * declares nothing at the top level but `qzCheck` and `qzShowVerdict` (Anki re-runs it on every card). */
(function (root) {
  "use strict";
  var FOLD = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", "\u0624": "\u0621",
    "\u0626": "\u0621", "\u0649": "\u064a", "\u0629": "\u0647", "\u06cc": "\u064a", "\u06a9": "\u0643"};
  var TATWEEL = "\u0640", DEC = "\u066b", THOU = "\u066c";
  var RE = {
    cs: /^\p{Cs}$/u, cf: /^\p{Cf}$/u, nd: /^\p{Nd}$/u, pszc: /^[\p{P}\p{S}\p{Z}\p{Cc}]$/u,
    mark: /^[\p{Mn}\p{Me}]$/u, letter: /^\p{L}$/u
  };
  var ERA_WORDS = {"\u0645": 1, "\u0645\u064a\u0644\u0627\u062f\u064a": 1,
    "\u0645\u064a\u0644\u0627\u062f\u064a\u0647": 1, "\u0639\u0627\u0645": 1, "\u0633\u0646\u0647": 1,
    "\u0641\u064a": 1, "ad": 1, "ce": 1, "in": 1, "year": 1};
  var SCRIPTS = ["Greek", "Cyrillic", "Hebrew", "Armenian", "Georgian", "Devanagari", "Bengali", "Thai", "Han",
    "Hiragana", "Katakana", "Hangul", "Ethiopic", "Syriac", "Thaana", "Tamil", "Khmer", "Lao", "Tibetan"];
  var SCRIPT_RE = SCRIPTS.map(function (s) { return [s, new RegExp("^\\p{Script=" + s + "}$", "u")]; });

  function digitValue(ch) {
    var cp = ch.codePointAt(0), start = cp;
    while (start > 0 && RE.nd.test(String.fromCodePoint(start - 1))) { start -= 1; }
    return (cp - start) % 10;
  }

  function charMap(ch, marks) {
    if (Object.prototype.hasOwnProperty.call(FOLD, ch)) { return FOLD[ch]; }
    if (ch === TATWEEL) { return ""; }
    if (ch === DEC || ch === ".") { return "."; }
    if (ch === THOU || ch === ",") { return marks ? " " : ","; }
    if (RE.cs.test(ch) || RE.cf.test(ch)) { return ""; }
    if (RE.nd.test(ch)) { return String(digitValue(ch)); }
    if (RE.pszc.test(ch)) { return " "; }
    if (marks && RE.mark.test(ch)) { return ""; }
    return ch;
  }

  function translate(text, marks) {
    return Array.from(text).map(function (ch) { return charMap(ch, marks); }).join("");
  }

  function casefold(text) {
    return text.toLowerCase().replace(/\u00df/g, "ss").replace(/\u1e9e/g, "ss").replace(/\u03c2/g, "\u03c3")
      .replace(/\u017f/g, "s");
  }

  function normalize(text) {
    text = Array.from(String(text)).filter(function (ch) { return !RE.cs.test(ch); }).join("");
    text = translate(text.normalize("NFKC"), false);
    text = casefold(text.replace(/(?<=[0-9]),(?=[0-9]{3}(?![0-9]))/g, ""));
    text = translate(text.normalize("NFKD"), true);
    text = text.replace(/(?<![0-9])\.|\.(?![0-9])/g, " ");
    return text.normalize("NFC").split(/\s+/).filter(function (w) { return w.length > 0; }).join(" ");
  }

  function dropArticle(word) {
    if (word.indexOf("\u0627\u0644") === 0) {
      var rest = word.slice(2);
      var letters = Array.from(rest).filter(function (c) { return "0123456789.".indexOf(c) < 0; }).length;
      if (letters >= 2) { return rest; }
    }
    return word;
  }

  function canonicalNumber(run) {
    var dot = run.indexOf(".");
    var whole = dot < 0 ? run : run.slice(0, dot), tail = dot < 0 ? "" : run.slice(dot);
    return (whole.replace(/^0+/, "") || "0") + tail;
  }

  var ROMAN = /^(x{0,3})(ix|iv|v?i{0,3})$/, ROMAN_VALUES = {i: 1, v: 5, x: 10};
  function romanValue(word) {
    if (!word || !ROMAN.test(word)) { return null; }
    var total = 0;
    for (var i = 0; i < word.length; i++) {
      var v = ROMAN_VALUES[word[i]], next = i + 1 < word.length ? ROMAN_VALUES[word[i + 1]] : 0;
      total += v < next ? -v : v;
    }
    return total;
  }
  function hasRoman(text) { return /(?<![A-Za-z])(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?![A-Za-z])/.test(text); }

  function tokens(normalized, roman) {
    var words = normalized.split(" ").filter(function (w) { return w.length > 0; });
    if (words.length > 1 && words[0] === "the") { words = words.slice(1); }
    var numbers = [], letters = [];
    words.forEach(function (word) {
      var value = roman ? romanValue(word) : null;
      if (value !== null) { numbers.push(String(value)); return; }
      (dropArticle(word).match(/[0-9]+(?:\.[0-9]+)*|[^0-9]+/g) || []).forEach(function (run) {
        if ("0123456789".indexOf(run[0]) >= 0) { numbers.push(canonicalNumber(run)); } else { letters.push(run); }
      });
    });
    var numeric = numbers.length > 0 && letters.every(function (w) { return ERA_WORDS[w] === 1; });
    return {numbers: numbers, letters: letters.join(""), numeric: numeric};
  }

  function script(ch) {
    var cp = ch.codePointAt(0);
    if ((cp >= 0x600 && cp <= 0x8ff) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) {
      return "arabic";
    }
    if (cp < 0x250 || (cp >= 0x1e00 && cp <= 0x1eff)) { return "latin"; }
    for (var i = 0; i < SCRIPT_RE.length; i++) { if (SCRIPT_RE[i][1].test(ch)) { return SCRIPT_RE[i][0]; } }
    return "block" + (cp >> 7);
  }
  function scripts(text) {
    var out = {};
    Array.from(text).forEach(function (ch) { if (RE.letter.test(ch)) { out[script(ch)] = 1; } });
    return out;
  }
  function subset(a, b) { return Object.keys(a).every(function (k) { return b[k] === 1; }); }

  function allowedEdits(letters) { return letters <= 5 ? 0 : (letters <= 10 ? 1 : 2); }

  function distance(a, b) { // optimal string alignment, on code points
    a = Array.from(a); b = Array.from(b);
    var d = [];
    for (var i = 0; i <= a.length; i++) { d.push([i]); }
    for (var j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) { v = Math.min(v, d[i - 2][j - 2] + 1); }
        d[i][j] = v;
      }
    }
    return d[a.length][b.length];
  }
  function withinEdits(a, b, limit) {
    if (a === b) { return true; }
    if (limit <= 0 || Math.abs(Array.from(a).length - Array.from(b).length) > limit) { return false; }
    return distance(a, b) <= limit;
  }

  function same(x, y) { return x.length === y.length && x.every(function (v, i) { return v === y[i]; }); }

  function tokensMatch(want, got) {
    if (!same(want.numbers, got.numbers)) { return false; }
    if (want.numeric) { return got.numeric; }
    if (!want.letters) { return !got.letters; }
    if (!got.letters || !subset(scripts(got.letters), scripts(want.letters))) { return false; }
    return withinEdits(want.letters, got.letters, allowedEdits(Array.from(want.letters).length));
  }

  function matches(expected, given) {
    var want = normalize(expected), got = normalize(given);
    if (!want || !got) { return false; }
    var roman = hasRoman(expected);
    return tokensMatch(tokens(want, roman), tokens(got, roman));
  }

  function isExact(expected, given) {
    var want = normalize(expected), got = normalize(given);
    if (!want || !got) { return false; }
    var roman = hasRoman(expected), a = tokens(want, roman), b = tokens(got, roman);
    if (a.numeric && b.numeric) { return same(a.numbers, b.numbers); }
    return same(a.numbers, b.numbers) && a.letters === b.letters;
  }

  function singleInteger(t) {
    if (t.numeric && t.numbers.length === 1 && /^[0-9]{1,18}$/.test(t.numbers[0])) { return Number(t.numbers[0]); }
    return null;
  }

  /* {correct, exact} for `given` against the answer and its alternatives (and ±tolerance for a number). */
  function gradeTyped(expected, alternatives, tolerance, given) {
    var got = normalize(given);
    if (!got) { return {correct: false, exact: false}; }
    var seen = {}, candidates = [expected].concat(alternatives || []).filter(function (c) {
      if (!normalize(c) || seen[c]) { return false; }
      seen[c] = 1; return true;
    });
    var plain = tokens(got, false), near = false;
    for (var i = 0; i < candidates.length; i++) {
      var roman = hasRoman(candidates[i]);
      if (tokensMatch(tokens(normalize(candidates[i]), roman), roman ? tokens(got, true) : plain)) {
        if (isExact(candidates[i], given)) { return {correct: true, exact: true}; }
        near = true;
      }
    }
    if (near) { return {correct: true, exact: false}; }
    if (tolerance > 0) {
      var value = singleInteger(plain);
      if (value !== null) {
        for (i = 0; i < candidates.length; i++) {
          var target = singleInteger(tokens(normalize(candidates[i]), false));
          if (target !== null && Math.abs(value - target) <= tolerance) { return {correct: true, exact: value === target}; }
        }
      }
    }
    return {correct: false, exact: false};
  }

  function typedText(doc) {
    if (typeof root.qzTyped === "string") { return root.qzTyped; }
    try {
      var kept = root.sessionStorage && root.sessionStorage.getItem("qz-typed");
      if (kept !== null && kept !== undefined) { return kept; }
    } catch (e) { /* no storage */ }
    var box = doc.getElementById("typeans");
    if (!box) { return ""; }
    if (box.value !== undefined && box.tagName === "INPUT") { return box.value; }
    // Anki's comparison (desktop, and AnkiDroid with its own input box under the card): the typed text as
    // typeGood/typeBad spans, then <br>, the arrow and the expected answer; nothing typed is the expected answer
    // alone, as bare text, so only those spans count.
    var out = "", node;
    for (node = box.firstChild; node; node = node.nextSibling) {
      if (node.id === "typearrow" || node.nodeName === "BR") { break; }
      if (node.classList && (node.classList.contains("typeGood") || node.classList.contains("typeBad"))) {
        out += node.textContent;
      }
    }
    return out;
  }

  function showVerdict() {
    var doc = root.document, box = doc.querySelector(".qz-check"), shown = doc.querySelector(".qz-verdict");
    if (!box || !shown) { return null; }
    var alternatives = Array.prototype.map.call(box.querySelectorAll(".qz-alt"), function (n) { return n.textContent; });
    var tol = box.querySelector(".qz-tol");
    var typed = typedText(doc);
    if (!normalize(typed)) { return null; }
    var verdict = gradeTyped(box.querySelector(".qz-expected").textContent, alternatives,
      tol ? Number(tol.getAttribute("data-tol")) : 0, typed);
    shown.textContent = verdict.correct ? (verdict.exact ? box.getAttribute("data-right") : box.getAttribute("data-near"))
      : box.getAttribute("data-wrong");
    shown.className = "qz-verdict " + (verdict.correct ? "qz-ok" : "qz-no");
    return verdict;
  }

  root.qzCheck = {normalize: normalize, matches: matches, isExact: isExact, gradeTyped: gradeTyped};
  root.qzShowVerdict = showVerdict;
  if (typeof module !== "undefined" && module.exports) { module.exports = root.qzCheck; }
})(typeof window !== "undefined" ? window : globalThis);
