#!/usr/bin/env bash
# Makes sure MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379) answer before tests run.
# On this project's machines both are installed and started before a session; this starts
# one that has stopped, and installs it from Debian's packages if it is missing (needs root).
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; return 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

if ! port_open 3306; then
  echo "MariaDB is not answering on 127.0.0.1:3306: starting it" >&2
  if ! command -v mariadbd >/dev/null && [ ! -x /usr/sbin/mariadbd ]; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null
  as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_port 3306 || { echo "MariaDB did not start; start it by hand (see README, Troubleshooting)" >&2; exit 1; }
fi

if ! port_open 6379; then
  echo "Redis is not answering on 127.0.0.1:6379: starting it" >&2
  if ! command -v redis-server >/dev/null; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_port 6379 || { echo "Redis did not start; start it by hand (see README, Troubleshooting)" >&2; exit 1; }
fi

# A CJK font for the health chart's Chinese labels (src/intents/render/charts/fonts.ts). Optional: without
# one charts fall back to English labels, so a failed install only warns.
has_cjk_font() {
  for f in /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
           /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf; do
    [ -f "$f" ] && return 0
  done
  return 1
}
# Tried once (a failure leaves a mark in node_modules/.cache): a machine that cannot reach Debian's
# mirror must not pay for apt-get on every `npm test` / `npm start`.
font_mark="$(dirname "$0")/../node_modules/.cache/cjk-font-install-tried"
if ! has_cjk_font && [ ! -e "$font_mark" ] && command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
  echo "no CJK font for chart labels: installing fonts-wqy-microhei (1.6 MB)" >&2
  { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1; }; } \
    || { echo "could not install fonts-wqy-microhei: charts keep English labels (not retried; delete node_modules/.cache/cjk-font-install-tried to try again)" >&2
         mkdir -p "$(dirname "$font_mark")" 2>/dev/null && touch "$font_mark" 2>/dev/null; }
fi
exit 0
