#!/bin/sh
# messages.sh - every message in the reader's language (work.md): each
# msgid the sources mark (_(), N_(), ngettext, pgettext) has a Chinese
# translation in po/zh_CN.po, none fuzzy; every message the lower layers
# set (sgz_err_set(), whose formats the interface and the command line
# translate through msg_tr()) and every refusal the migrations RAISE is
# one of msg_tr()'s formats (src/model/message.c), so it reaches a Chinese
# reader in Chinese. Needs gettext's tools and python3.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 4

cd "$SGZ_SRCDIR" || bail "no source tree"
T=$tap_tmp
command -v xgettext >/dev/null || bail "xgettext is missing (apt-get install gettext)"
command -v python3 >/dev/null || bail "python3 is missing"

# the C sources, as the tarball has them (no git in a distcheck)
find src -name '*.c' | LC_ALL=C sort >"$T/files"
xgettext --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 -kpgettext:1c,2 -o "$T/all.pot" \
	-f "$T/files" 2>"$T/err" || bail "xgettext: $(cat "$T/err")"
msgmerge -q -N -o "$T/merged.po" po/zh_CN.po "$T/all.pot" 2>"$T/err" || bail "msgmerge"
is "every msgid of the sources has a Chinese translation" \
	"$(msgattrib --untranslated --no-obsolete "$T/merged.po" | grep '^msgid ' | grep -v '^msgid ""$')" ""
is "and none is fuzzy" "$(msgattrib --only-fuzzy --no-obsolete po/zh_CN.po | grep '^msgid ' | grep -v '^msgid ""$')" ""

# msgids of a pot file, one per line (escapes as written)
python3 - "$T" <<'PY' >"$T/report"
import re, subprocess, sys, glob
T = sys.argv[1]
def ids(args):
    out = subprocess.run(['xgettext', '--from-code=UTF-8', '--omit-header', '-o', '-'] + args,
                         capture_output=True, text=True, check=True).stdout
    r = []
    for e in out.split('\n\n'):
        m = re.search(r'^msgid ((?:".*"\n?)+)', e, re.M)
        if not m:
            continue
        r.append((''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))),
                  (re.findall(r'^#: (\S+)', e, re.M) or ['?'])[0]))
    return r
files = open(T + '/files').read().split()
lower = [f for f in files if not f.startswith(('src/cli/', 'src/main.c'))]
known = set(i for i, _ in ids(['--keyword', '--keyword=N_', 'src/model/message.c']))
# what msg_tr() matches: each conversion stands for any text
conv = re.compile(r'%(?:[1-9]\$)?[-+ #0]*[0-9]*(?:\.[0-9*]+)?[hlzjtL]*[a-zA-Z]')
known_re = [re.compile(''.join('.+' if k % 2 else re.escape(p)
                               for k, p in enumerate(re.split('(' + conv.pattern + ')', f.replace('\\"', '"'))))
                       + r'\Z', re.S) for f in known if f != '%s']
for i, where in ids(['--keyword', '--keyword=sgz_err_set:3'] + lower):
    if i != '%s' and i not in known:
        print('set %s: %s' % (where, i))
for f in sorted(glob.glob('src/db/migrations/*.sql')):
    s = open(f).read()
    for m in re.finditer(r"RAISE\s+EXCEPTION\s+((?:'(?:[^']|'')*'\s*)+)", s):
        fmt = ''.join(re.findall(r"'((?:[^']|'')*)'", m.group(1))).replace("''", "'")
        c = fmt.replace('%', '%s').replace('"', '\\"')
        if fmt != '%' and c not in known and not any(r.match(fmt.replace('%', 'x')) for r in known_re):
            print('raise %s: %s' % (f, c))
PY
is "every message the lower layers set is one msg_tr() translates" \
	"$(grep '^set ' "$T/report")" ""
is "every refusal the migrations raise is one msg_tr() translates" \
	"$(grep '^raise ' "$T/report")" ""
