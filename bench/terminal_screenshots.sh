#!/usr/bin/env bash
# Screenshots of quiz in Arabic in real terminal emulators under a virtual X display (issue 19).
#
#   bench/terminal_screenshots.sh [OUT_DIR] [TERMINAL...]
#
# For each terminal (default: xterm alacritty gnome-terminal mlterm konsole) it starts the terminal with a clean
# environment (so that it sets its own variables and `--bidi auto` detects it), runs a scene and saves
# OUT_DIR/<terminal>-<scene>.png. Scenes: `study` (quiz study --lang ar; xdotool types a wrong option, an Arabic
# answer, a true/false answer, each followed by Enter, then q for the summary: under heavy load it may drop keys or
# send them to a later prompt, which changes the session but not how it is laid out), `stats`
# (quiz stats --lang ar), `history` (quiz history --lang ar ID). No --bidi option is given unless BIDI=on|off
# is set. QUIZ_SRC picks the code (default: this worktree), e.g. QUIZ_SRC=/work/main for a "before" series.
# A throw-away QUIZ_DB with a pinned clock (QUIZ_NOW) holds a few days of answers.
#
# SCENES picks scenes, WAIT the seconds a terminal gets to draw (default 7; 10 on a loaded machine), DISPLAY_NUM
# the X display (default 77).
#
# Needs (Debian): xvfb xterm mlterm alacritty konsole gnome-terminal dbus-x11 xdotool imagemagick fonts-noto-core
# fonts-dejavu. Alacritty draws with OpenGL: under Xvfb it uses Mesa's software renderer.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$HERE/bench/screenshots}
shift || true
TERMINALS=${*:-xterm alacritty gnome-terminal mlterm konsole}
SRC=${QUIZ_SRC:-$HERE}
PY=${PYTHON:-/work/venv/bin/python}
SCENES=${SCENES:-study stats history}
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'kill $XVFB_PID 2>/dev/null; rm -rf "$WORK"' EXIT

DISPLAY_NUM=:${DISPLAY_NUM:-77}
Xvfb "$DISPLAY_NUM" -screen 0 1100x760x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1

export QUIZ_DB=$WORK/quiz.db QUIZ_TZ=UTC QUIZ_FUZZ=0 QUIZ_SEED=7 QUIZ_CACHE_DIR=$WORK/cache
QUIZ=("$PY" -m quiz)
# A few days of history: answer what comes (some right, some wrong), end of input ends each session.
cd "$WORK" || exit 1
for day in 01 02 03 05 08; do
  printf '1\n\n2\n\n1\n\n3\n\n1\n\n' | PYTHONPATH=$SRC QUIZ_NOW=2026-03-${day}T09:00:00Z \
    "${QUIZ[@]}" study --lang en --bidi off --new 5 >/dev/null 2>&1
done
QID=$("$PY" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select q.id from reviews r join questions q using(qid) group by q.id order by count(*) desc, q.id limit 1').fetchone()[0])" "$QUIZ_DB")
export QUIZ_NOW=2026-03-09T09:00:00Z

BIDI_OPT=""
[ -n "${BIDI:-}" ] && BIDI_OPT="--bidi $BIDI"
scene_command() {  # what the terminal runs for one scene
  local cmd
  case $1 in
    study) cmd="${QUIZ[*]} study --lang ar $BIDI_OPT --new 3 --limit 3" ;;
    stats) cmd="${QUIZ[*]} stats --lang ar $BIDI_OPT" ;;
    history) cmd="${QUIZ[*]} history --lang ar $BIDI_OPT $QID" ;;
  esac
  cat >"$WORK/scene.sh" <<EOF
export PYTHONPATH='$SRC' QUIZ_DB='$QUIZ_DB' QUIZ_TZ=UTC QUIZ_FUZZ=0 QUIZ_SEED=7 QUIZ_NOW='$QUIZ_NOW'
export QUIZ_CACHE_DIR='$WORK/cache' LANG=C.UTF-8 LC_ALL=C.UTF-8
cd '$WORK'  # python -m quiz imports from the current folder first
clear
$cmd
printf '\n\$ '
sleep 600
EOF
}

launch() {  # start terminal $1 running scene.sh, with only what a desktop session would give it
  local base=(setsid env -i DISPLAY="$DISPLAY_NUM" HOME="$WORK/home" PATH=/usr/bin:/bin LANG=C.UTF-8 LC_ALL=C.UTF-8
              XDG_RUNTIME_DIR="$WORK/run" LIBGL_ALWAYS_SOFTWARE=1)
  mkdir -p "$WORK/home" "$WORK/run"; chmod 700 "$WORK/run"
  case $1 in
    xterm) "${base[@]}" xterm -fa 'DejaVu Sans Mono' -fs 10 -geometry 100x40+0+0 -e bash "$WORK/scene.sh" & ;;
    alacritty) "${base[@]}" alacritty -o window.dimensions.columns=100 -o window.dimensions.lines=38 \
                 -o font.size=10 -e bash "$WORK/scene.sh" & ;;
    mlterm) "${base[@]}" mlterm --type=xft --fontsize=13 -g 100x40+0+0 -e bash "$WORK/scene.sh" & ;;
    konsole) "${base[@]}" QT_QPA_PLATFORM=xcb konsole --nofork --hide-menubar --hide-tabbar \
               -p TerminalColumns=100 -p TerminalRows=38 -e bash "$WORK/scene.sh" & ;;
    gnome-terminal) "${base[@]}" dbus-run-session -- bash -c \
        "/usr/libexec/gnome-terminal-server --app-id org.quiz.Shot & sleep 2;
         gnome-terminal --app-id org.quiz.Shot --geometry=100x38+0+0 --wait -- bash '$WORK/scene.sh'" & ;;
    *) echo "unknown terminal $1" >&2; return 1 ;;
  esac
  TERM_PID=$!
}

for terminal in $TERMINALS; do
  command -v "$terminal" >/dev/null || { echo "$terminal: not installed" >&2; continue; }
  for scene in $SCENES; do
    scene_command "$scene"
    launch "$terminal" || continue
    sleep "${WAIT:-7}"
    if [ "$scene" = study ]; then  # the learner types: a wrong option, Arabic text, true/false, each with Enter,
      DISPLAY=$DISPLAY_NUM xdotool mousemove 400 300 2>/dev/null  # then q: the session's summary
      for keys in 2 '' 'سبوتنيك' '' 'ص' '' q; do
        DISPLAY=$DISPLAY_NUM xdotool type --delay 60 "$keys"; DISPLAY=$DISPLAY_NUM xdotool key Return; sleep 1.5
      done
      sleep 2
    fi
    import -display "$DISPLAY_NUM" -window root "$OUT/$terminal-$scene.png" 2>/dev/null \
      && echo "$OUT/$terminal-$scene.png"
    kill -- -"$TERM_PID" 2>/dev/null; wait "$TERM_PID" 2>/dev/null  # the terminal's process group
    sleep 1
  done
done
