#!/bin/sh
# ssh.sh - the SSH front end of README's "Deployment over SSH" and sgz(1)'s
# DEPLOYMENT, step by step, then attacked as its users: a real sshd on
# 127.0.0.1 with the documented sshd_config (two free high ports for 22 and
# 2222, a host key and config of its own), the group sgz-staff, a station
# user and a county user with a real login shell and a key each, the export
# directory layout under a root-owned chroot, the locked system file, and the
# database made by its owner (createdb -O, sgz migrate, sgz user add).
#
# The sgz it forces is the build's tests/sgz, not /usr/bin/sgz: that binary
# takes its system file's directory from $SGZ_TEST_SYSCONFDIR, which the
# Match block sets with SetEnv (the administrator's setting: nothing a client
# sends can change it, and the installed sgz does not read the variable).
# It is the one line of the Match block the documents do not have.
#
# Needs root (useradd, sshd) and openssh-server; skips without either.
# Everything it makes (users, the group when it made it, keys, the sshd,
# files) goes when it ends, also on failure.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

sshd=/usr/sbin/sshd
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the deployment test needs root (useradd, sshd)"
	exit 0
fi
if [ ! -x "$sshd" ]; then
	echo "1..0 # SKIP openssh-server not installed"
	exit 0
fi
for t in ssh sftp ssh-keygen useradd python3; do
	command -v $t >/dev/null 2>&1 || bail "$t not found"
done

. "$SGZ_SRCDIR/tests/lib/tmux.sh"

# Names of this run only, so two runs on one machine never share a user;
# only what this run made is removed.
station=sgzt$$s
county=sgzt$$c
owner=sgzt$$o
group=sgz-staff
made_users=""
made_group=no
made_run_sshd=no
sshd_pid=""
fwd_pid=""
R=""

cleanup() {
	tmux_stop
	[ -n "$fwd_pid" ] && kill "$fwd_pid" 2>/dev/null
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
	for u in $made_users; do
		# the user's sessions, by process id: userdel refuses while any run
		for pid in $(ps -o pid= -u "$u" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		userdel "$u" >/dev/null 2>&1 || userdel -f "$u" >/dev/null 2>&1
	done
	if [ "$made_group" = yes ] && [ -z "$(getent group "$group" | cut -d: -f4)" ]; then
		groupdel "$group" 2>/dev/null
	fi
	# sshd's privilege separation directory, unless another sshd (another
	# run of this test) still needs it
	if [ "$made_run_sshd" = yes ]; then
		[ -n "$sshd_pid" ] && wait "$sshd_pid" 2>/dev/null
		i=0
		while pgrep -x sshd >/dev/null && [ $i -lt 20 ]; do
			sleep 0.1 # the sessions' sshd, going with their users
			i=$((i + 1))
		done
		pgrep -x sshd >/dev/null || rmdir /run/sshd 2>/dev/null
	fi
	[ -n "$R" ] && rm -rf "$R"
	rm -rf "$tap_tmp"
}
trap cleanup EXIT

# A chroot directory and every directory above it must be root's and
# writable by nobody else, which rules out /tmp: the test's root is made in
# the first of these that is so, like /srv/sgz of the documents.
safe_path() { # every component of $1 root's, not group- or other-writable
	p=$1
	while :; do
		[ -d "$p" ] || return 1
		[ "$(stat -c %u "$p")" = 0 ] || return 1
		case $(stat -c %A "$p") in
		?????w???? | ????????w?) return 1 ;;
		esac
		[ "$p" = / ] && return 0
		p=$(dirname "$p")
	done
}
for parent in /srv /var/lib /opt /run; do
	if safe_path "$parent"; then
		R=$(mktemp -d "$parent/sgz-deploy-test.XXXXXX") || bail "mktemp in $parent failed"
		break
	fi
done
[ -n "$R" ] || bail "no root-owned directory for the chroot (/srv, /var/lib, /opt, /run)"
chmod 755 "$R"


plan 31

# Two free ports on 127.0.0.1: P for the interface (22 on a real host), PF
# for the exports by sftp (2222).
ports=$(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))') || bail "no free port"
P=${ports% *}
PF=${ports#* }

# 1. The group, and the users with a real login shell (README's steps 1
# and 4): sshd runs a forced command as "SHELL -c COMMAND", so
# /usr/sbin/nologin would refuse it; /bin/sh (dash) reads no start-up file
# for -c, where bash run by sshd reads ~/.bashrc. The password field "*":
# no password login, yet not the "!" of a locked account, which sshd
# refuses even a key when UsePAM is no.
if ! getent group "$group" >/dev/null; then
	groupadd "$group" || bail "groupadd $group failed"
	made_group=yes
fi
mkdir "$R/home"
for u in $station $county $owner; do
	getent passwd "$u" >/dev/null && bail "user $u exists already"
	if [ "$u" = "$owner" ]; then
		useradd -m -d "$R/home/$u" -s /bin/bash "$u" || bail "useradd $u failed"
	else
		useradd -m -d "$R/home/$u" -s /bin/sh -G "$group" "$u" || bail "useradd $u failed"
	fi
	made_users="$made_users $u"
	[ "$u" = "$owner" ] || usermod -p '*' "$u" || bail "usermod -p failed"
done

# 2. The export directories (step 6): the chroot /srv/sgz/exports/USER
# root's (0755), the files in its subdirectory "files", the user's (0750),
# which sgz writes into and sftp starts in.
E=$R/srv/sgz/exports
for u in $station $county; do
	install -d -m 755 "$E/$u" || bail "install -d failed"
	install -d -m 750 -o "$u" -g "$u" "$E/$u/files" || bail "install -d files failed"
done

# 3. A key each (step 5), in ~/.ssh/authorized_keys, root's and read-only
# to the user; and start-up files an attacker would plant, each leaving a
# mark if it runs: ~/.ssh/rc, ~/.bashrc, ~/.profile, ~/.pam_environment.
mkdir "$R/keys"
for u in $station $county; do
	ssh-keygen -q -t ed25519 -N '' -C "$u" -f "$R/keys/$u" || bail "ssh-keygen failed"
	h=$R/home/$u
	install -d -m 755 "$h/.ssh"
	install -m 644 "$R/keys/$u.pub" "$h/.ssh/authorized_keys"
	printf 'touch "%s/ran-ssh-rc"\n' "$h" >"$h/.ssh/rc"
	printf 'touch "%s/ran-bashrc"\n' "$h" >"$h/.bashrc"
	printf 'touch "%s/ran-profile"\n' "$h" >"$h/.profile"
	printf 'SGZ_DB DEFAULT=dbname=postgres\nPGDATABASE DEFAULT=postgres\n' >"$h/.pam_environment"
	chown "$u:" "$h/.pam_environment"
done

# 4. The database (steps 1, 2, 3 and 7): its owner a Linux user and a
# role with CREATEROLE, createdb -O, then sgz migrate, the imports and sgz
# user add as the owner, through the locked system file like everyone
# (with-pg trusts local connections; a real host has peer authentication:
# each the role of its login name).
createuser -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --createrole "$owner" ||
	bail "createuser failed"
createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -O "$owner" sgz || bail "createdb failed"
mkdir "$R/etc"
cat >"$R/etc/sgz.ini" <<EOF
[database]
conninfo = "host=$PGHOST port=$PGPORT dbname=sgz"
[ui]
language = zh_CN
[export]
directory = $E/%u/files
[security]
locked = yes
EOF
chmod 644 "$R/etc/sgz.ini"
as_owner() {
	runuser -u "$owner" -- env -i PATH=/usr/bin:/bin SGZ_TEST_SYSCONFDIR="$R/etc" \
		"$SGZ_BIN" "$@"
}
out=$R/setup.out
as_owner migrate >"$out" 2>&1 || bail "sgz migrate failed: $(cat "$out")"
as_owner import divisions - <"$SGZ_DATADIR/divisions-2022.csv" >>"$out" 2>&1 ||
	bail "division import failed: $(cat "$out")"
for e in organizations stations; do
	as_owner import $e - <"$SGZ_SRCDIR/tests/db/fixtures/$e.csv" >>"$out" 2>&1 ||
		bail "$e import failed: $(cat "$out")"
done
as_owner user add "$station" --scope 120110002 --kind station >>"$out" 2>&1 ||
	bail "sgz user add failed: $(cat "$out")"
as_owner user add "$county" --scope 120110 --kind county >>"$out" 2>&1 ||
	bail "sgz user add failed: $(cat "$out")"
runuser -u "$station" -- test -x "$SGZ_BIN" ||
	bail "$SGZ_BIN is not reachable by other users: build in a directory they can enter"

# 5. sshd (step 8): the documented Match blocks, on the test's ports, with its own
# host key; UsePAM no, so no ~/.pam_environment is read.
install -d -m 700 "$R/sshd"
ssh-keygen -q -t ed25519 -N '' -f "$R/sshd/host_ed25519" || bail "ssh-keygen failed"
cat >"$R/sshd/sshd_config" <<EOF
ListenAddress 127.0.0.1:$P
ListenAddress 127.0.0.1:$PF
HostKey $R/sshd/host_ed25519
PidFile $R/sshd/sshd.pid
LogLevel VERBOSE
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $station $county
AuthorizedKeysFile .ssh/authorized_keys
Subsystem sftp internal-sftp

Match Group $group LocalPort $PF
	ChrootDirectory $E/%u
	ForceCommand internal-sftp -R -d /files
	DisableForwarding yes
	PermitTTY no
	PermitUserRC no

Match Group $group
	ForceCommand $SGZ_BIN --locked
	SetEnv SGZ_TEST_SYSCONFDIR=$R/etc
	DisableForwarding yes
	PermitTTY yes
	PermitUserRC no
EOF
if [ ! -d /run/sshd ]; then
	install -d -m 755 /run/sshd && made_run_sshd=yes
fi
"$sshd" -t -f "$R/sshd/sshd_config" >"$R/sshd/check.out" 2>&1 ||
	bail "sshd -t: $(cat "$R/sshd/check.out")"
"$sshd" -D -f "$R/sshd/sshd_config" -E "$R/sshd/sshd.log" &
sshd_pid=$!
i=0
until [ -s "$R/sshd/sshd.pid" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || bail "sshd did not start: $(cat "$R/sshd/sshd.log")"
	kill -0 "$sshd_pid" 2>/dev/null || bail "sshd exited: $(cat "$R/sshd/sshd.log")"
	sleep 0.1
done

# The client: no configuration file of root's or the host's, no agent, the
# user's key only, never a password prompt.
unset SSH_AUTH_SOCK
sshopt() { # sshopt USER: the options of ssh and sftp as USER
	echo "-F /dev/null -i $R/keys/$1 -o IdentitiesOnly=yes -o BatchMode=yes" \
		"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR" \
		"-o ConnectTimeout=10"
}

# 6. The station user logs in at 80x24: sgz, scoped, with no password; the
# client's PGHOST and SGZ_DB (SendEnv) and ~/.pam_environment's SGZ_DB
# would each name the database postgres, where sgz would say the schema is
# missing.
# shellcheck disable=SC2046
tmux_start env PGHOST=/nonexistent SGZ_DB=dbname=postgres \
	ssh $(sshopt "$station") -o SendEnv=PGHOST -o SendEnv=SGZ_DB -tt -p "$P" \
	"$station@127.0.0.1"
ok "a station user's login opens sgz, with no password" wait_for "q 退出" 15
unlike "neither PGHOST, SGZ_DB nor ~/.pam_environment reached it (sgz: cannot connect ...)" \
	"$(tmux_screen)" "sgz: "
unlike "nor in Chinese (sgz:无法连接 ...)" "$(tmux_screen)" "sgz:"
tmux_keys 1 2
ok "on its list of stations, its own" wait_for "120110002000"
unlike "and no other" "$(tmux_screen)" "120110001000"

# 7. Exports: a hidden file refused, a file name written into the export
# directory; then fetched by sftp below.
export_as() {
	tmux_keys e
	wait_for "导出到:" || return 1
	tmux_keys C-u
	tmux_keys -l "$1"
	tmux_keys Enter
}
export_as .bashrc
ok "an export named .bashrc is refused" wait_for '不能以"."开头'
export_as stations.csv
ok "an export is written" wait_for "1 行已导出到"
# (the message wraps where the screen's width ends it)
like "into the export directory" "$(tmux_screen | tr -d ' \n')" \
	"1行已导出到$E/$station/files/stations.csv"
is "owned by the user, mode 0640" "$(stat -c '%U %a' "$E/$station/files/stations.csv")" \
	"$station 640"
tmux_keys Escape Escape q
is "q quits, and the session ends" "$(wait_exit 10)" 0
for f in ran-ssh-rc ran-bashrc ran-profile; do
	ok "no start-up file ran ($f)" test ! -e "$R/home/$station/$f"
done

# 8. The county user: its scope, both stations.
# shellcheck disable=SC2046
tmux_start ssh $(sshopt "$county") -tt -p "$P" "$county@127.0.0.1"
ok "a county user's login opens sgz" wait_for "q 退出" 15
tmux_keys 1 2
ok "and lists the stations of its county" wait_for "120110001000"
like "both of them" "$(tmux_screen)" "120110002000"
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 9. A command asked for runs sgz instead, which wants a terminal: no shell.
# shellcheck disable=SC2046
said=$(ssh $(sshopt "$station") -p "$P" "$station@127.0.0.1" id 2>&1 </dev/null)
unlike "ssh host id runs no command" "$said" "uid="
# (sgz's own words, "sgz: " in English, "sgz:" in Chinese)
ok "it runs sgz" sh -c 'case $1 in *"sgz: "* | *"sgz:"*) exit 0 ;; esac; exit 1' sh "$said"
# shellcheck disable=SC2046
said=$(ssh $(sshopt "$station") -p "$P" "$station@127.0.0.1" \
	'sh -c "cat /etc/passwd"' 2>&1 </dev/null)
unlike "nor any other" "$said" "root:"
# shellcheck disable=SC2046
said=$(ssh $(sshopt "$station") -p "$PF" "$station@127.0.0.1" id 2>&1 </dev/null)
unlike "nor on the sftp port" "$said" "uid="

# 10. Forwarding: the database's socket and ports stay out of reach.
# shellcheck disable=SC2046
said=$(timeout 10 ssh $(sshopt "$station") -p "$P" -W "127.0.0.1:$P" \
	"$station@127.0.0.1" 2>&1 </dev/null)
unlike "a forwarded connection (ssh -W) is refused" "$said" "SSH-2.0"
# The database's socket forwarded to one of the client's (ssh -L), for a
# psql of the client's own: the client makes its socket, the server
# refuses to connect it.
mkdir "$R/fwd"
# shellcheck disable=SC2046
ssh $(sshopt "$station") -N -L "$R/fwd/.s.PGSQL.$PGPORT:$PGHOST/.s.PGSQL.$PGPORT" \
	-p "$P" "$station@127.0.0.1" </dev/null >/dev/null 2>&1 &
fwd_pid=$!
i=0
while [ ! -S "$R/fwd/.s.PGSQL.$PGPORT" ] && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.1
done
said=$(psql -X -h "$R/fwd" -p "$PGPORT" -U "$station" -d sgz -Atc 'SELECT 42' 2>&1 </dev/null)
unlike "the database's socket forwarded (ssh -L) is refused" "$said" "42"
kill "$fwd_pid" 2>/dev/null
wait "$fwd_pid" 2>/dev/null
fwd_pid=""

# 11. sftp on its port: the export directory, read-only, nothing else.
# sftp_batch USER COMMANDS [PORT]: sftp's exit status (to PORT, else the
# exports' port), its output in $R/sftp.out
sftp_batch() {
	printf '%s\n' "$2" >"$R/sftp.batch"
	# shellcheck disable=SC2046
	sftp $(sshopt "$1") -P "${3:-$PF}" -b "$R/sftp.batch" "$1@127.0.0.1" \
		>"$R/sftp.out" 2>&1 </dev/null
	echo $?
}
mkdir "$R/got"
is "sftp fetches an export" \
	"$(sftp_batch "$station" "get stations.csv $R/got/stations.csv")" 0
ok "the same file" cmp "$R/got/stations.csv" "$E/$station/files/stations.csv"
is "but not /etc/passwd" "$(sftp_batch "$station" "get /etc/passwd $R/got/passwd")" 1
is "nor ../../etc/passwd" \
	"$(sftp_batch "$station" "get ../../../../../etc/passwd $R/got/passwd")" 1
ok "nothing was fetched" test ! -e "$R/got/passwd"
echo data >"$R/put.csv"
is "sftp cannot write" "$(sftp_batch "$station" "put $R/put.csv new.csv")" 1
is "nor remove" "$(sftp_batch "$station" "rm stations.csv")" 1
is "the directory holds the export alone" "$(ls -A "$E/$station/files")" stations.csv
is "sftp on the interface's port gets sgz, not sftp" "$(sftp_batch "$station" pwd "$P")" 255
