#!/bin/sh
# cli_zh.sh - the command line in the reader's language (cli.md "Error
# messages", work.md): with --lang zh_CN, a Chinese locale or [ui] language
# the refusals, the per-row messages of an import and its summary are
# Chinese, FILE:LINE:COLUMN: and the column names as they are, and no
# sentence of three English words is left; without them, English.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 49

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
export HOME="$T/home"
mkdir -p "$HOME"
unset SGZ_CONFIG SGZ_DB XDG_STATE_HOME LANGUAGE LC_ALL LC_MESSAGES
cd "$T" || bail "cd $T"
zh() { "$SGZ_BIN" --lang zh_CN "$@" 2>&1; }
# english TEXT - the lines that still hold three English words in a row,
# once what stays as it is is taken out: this test's file names, the
# commands and options one types (sgz import, --help, service_points)
english() {
	printf '%s\n' "$1" | sed -e "s|$T/[^ :,()]*||g" \
		-e 's/sgz \(user add\|user list\|user remove\|user\|import\|export\|report\|backup\|restore\|migrate\|demo\)//g' \
		-e 's/--[a-z-]*//g' -e 's/[a-z]*_[a-z_]*//g' -e 's/:\( [a-z]*\)*$/:/' |
		grep -E '[A-Za-z]+ [A-Za-z]+ [A-Za-z]+'
}
# chinese TEXT PREFIX - the line of TEXT after PREFIX holds more than ASCII
chinese() { printf '%s\n' "$1" | grep -F "$2" | LC_ALL=C grep -q '[^ -~]'; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"

# --- a whole import: the summary ---
out=$(zh import divisions "$SGZ_DATADIR/divisions-2022.csv")
is "a Chinese import exits 0" "$?" 0
is "and says so in Chinese" "$out" "已导入 44699 行"
for e in organizations stations; do
	"$SGZ_BIN" import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "fixture $e"
done
"$SGZ_BIN" import volunteers "$F/volunteers.csv" >"$T/en" 2>&1 || bail "fixture volunteers"
like "in English without a language" "$(cat "$T/en")" "rows imported"

# --- an import with bad rows: hours, the volunteer by ID number ---
{
	echo 'volunteer,service_date,station,activity,hours,note'
	echo '120110197007070043,2024-03-05,120110001000,,2,'
	echo '120110197007070042,2024-03-06,120110099000,,2,'
	echo '120110197007070042,2099-03-05,120110001000,,2,'
} >"$T/bad.csv"
out=$(zh import hours "$T/bad.csv")
is "bad rows exit 1" "$?" 1
like "a bad ID number, in Chinese, FILE:LINE:COLUMN: as it is" "$out" "$T/bad.csv:2:volunteer: 校验码不对"
like "a station that does not exist" "$out" "$T/bad.csv:3:station: "
ok "  ... in Chinese" chinese "$out" "$T/bad.csv:3:station: "
like "a date in the future" "$out" "$T/bad.csv:4:service_date: "
ok "  ... in Chinese" chinese "$out" "$T/bad.csv:4:service_date: "
like "the summary in Chinese" "$out" "3 行被拒绝,未导入任何数据"
is "no English sentence" "$(english "$out")" ""
printf '%s\n' "$out" | sed 's/^/# /'

out=$(zh import hours "$T/bad.csv" --dry-run)
is "a dry run too" "$(english "$out")" ""
printf 'id_number,name,station,registered_on\n120110199512310077,赵磊,120110001000,2022-01-10\n' >"$T/one.csv"
out=$(zh import volunteers "$T/one.csv" --dry-run)
is "a dry run's summary in Chinese" "$out" "1 行均有效,试运行未导入任何数据"

out=$("$SGZ_BIN" import hours "$T/bad.csv" 2>&1)
like "in English: the same rows" "$out" "$T/bad.csv:2:volunteer: bad check character"
like "and the summary of cli.md" "$out" "3 rows rejected, nothing imported"

# --- the same through the locale and through [ui] language ---
out=$(LANG=zh_CN.UTF-8 "$SGZ_BIN" import hours "$T/bad.csv" 2>&1)
like "LANG=zh_CN.UTF-8 gives Chinese" "$out" "3 行被拒绝,未导入任何数据"
is "  ... all of it" "$(english "$out")" ""
mkdir -p "$HOME/.config/sgz"
printf '[ui]\nlanguage = zh_CN\n' >"$HOME/.config/sgz/sgz.ini"
out=$("$SGZ_BIN" import hours "$T/bad.csv" 2>&1)
like "[ui] language = zh_CN gives Chinese" "$out" "3 行被拒绝,未导入任何数据"
out=$("$SGZ_BIN" --lang en import hours "$T/bad.csv" 2>&1)
like "and --lang en English over it" "$out" "3 rows rejected, nothing imported"
rm "$HOME/.config/sgz/sgz.ini"

# --- help ---
out=$("$SGZ_BIN" --lang zh_CN --help)
like "sgz --help in Chinese" "$out" "不带命令时打开终端界面"
# (the commands' lines are what one types: "  import ENTITY FILE ...")
is "  ... all of it but what one types" "$(english "$(printf '%s\n' "$out" | grep -v '^  [a-z]')")" ""
out=$(LANG=zh_CN.UTF-8 "$SGZ_BIN" import --help)
like "a command's --help too" "$out" "要么全部导入"
like "in English without a language" "$("$SGZ_BIN" --help)" "Without a command, opens the terminal interface"

# --- refusals ---
check() { # check NAME STATUS EXPECTED-STATUS TEXT PATTERN
	is "$1: exit status" "$2" "$3"
	like "$1: in Chinese" "$4" "$5"
	is "$1: no English sentence" "$(english "$4")" ""
}
out=$(zh import nonsense "$T/bad.csv")
check "an unknown entity" "$?" 2 "$out" "'nonsense' 不是数据类别名"
out=$(zh import hours "$T/bad.csv" --bogus)
check "a bad option of a command" "$?" 2 "$out" "不是 sgz import 的选项"
out=$(zh --bogus import)
check "a bad global option" "$?" 2 "$out" "不是 sgz 的选项"
out=$(zh frobnicate)
check "an unknown command" "$?" 2 "$out" "不是命令"
printf '[ui]\ncolour = never\n' >"$T/unknown.ini"
out=$(zh -c "$T/unknown.ini" migrate --status)
check "an unknown key of the configuration" "$?" 2 "$out" "$T/unknown.ini:2: ui.colour:未知的键"

out=$(zh user add zgz --scope 120110001 --kind station) || bail "user zgz: $out"
is "a user added, said in Chinese, the kind by its label" "$out" \
	"已创建用户 zgz:类型 站点人员,管辖范围 120110001000 张贵庄街道"
out=$(PGUSER=zgz zh report coverage --scope 120111 --format csv)
check "a report outside the scope" "$?" 2 "$out" "不在你的管辖范围"
out=$(PGUSER=zgz zh user add other --scope 120110 --kind county)
check "a permission refusal" "$?" 2 "$out" "权限不足"
out=$(PGUSER=zgz zh backup "$T/b.tar")
check "a refused backup" "$?" 2 "$out" "权限不足:只有模式 sgz 的所有者"
out=$(PGUSER=zgz "$SGZ_BIN" backup "$T/b.tar" 2>&1)
like "  ... in English without a language" "$out" "permission denied: only the owner of the schema sgz"
