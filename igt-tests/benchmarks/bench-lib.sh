# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154 # bench_name, verbose: set by the sourcing script
#
# What the guest-side benchmark scripts (igt-tests/benchmarks/*-bench)
# share, sourced by them: messages, and putting our vgem and Debian's in
# turn into one boot. The kernel's vgem and ours share the module name, so
# they are never loaded together. A swap unloads vgem only: drm and its
# helpers stay loaded, since loading Debian's signed drm.ko again costs
# many seconds under TCG.
#
# The sourcing script sets bench_name (for messages) and verbose (0 or 1),
# then calls bench_modules_init once before loading a side.
# Sets: kver, upstream_ko, ours_file, and after each load ours_module or
# upstream_module (the file and its taint flags).

kver=$(uname -r)
# Debian compresses its modules with xz from 6.12 on (kmod reads both).
upstream_ko=/lib/modules/$kver/kernel/drivers/gpu/drm/vgem/vgem.ko
for compressed in "$upstream_ko.xz" "$upstream_ko.zst"; do
	[ -e "$upstream_ko" ] || [ ! -e "$compressed" ] || upstream_ko=$compressed
done

die() {
	echo "$bench_name: $*" >&2
	exit 1
}

# progress MESSAGE: with verbose=1, one "# " line with the seconds since
# the previous one.
bench_last=$SECONDS
progress() {
	[ "$verbose" = 1 ] && echo "# $* ($((SECONDS - bench_last)) s)"
	bench_last=$SECONDS
}

# module_file: the vgem.ko that `modprobe vgem` would load now.
module_file() {
	modprobe --show-depends vgem 2>/dev/null | awk '$1 == "insmod" { f = $2 } END { print f }'
}

# describe FILE: FILE and the taint flags of the loaded vgem (O: out of
# tree, E: unsigned), which tell ours from Debian's signed in-tree module.
describe() {
	local taint="?"
	[ -r /sys/module/vgem/taint ] && taint=$(< /sys/module/vgem/taint)
	echo "$1 (taint: $taint)"
}

# bench_modules_init: unloads the vgem loaded before the run; finds ours.
bench_modules_init() {
	[ -e "$upstream_ko" ] || die "missing $upstream_ko"
	if [ -d /sys/module/vgem ]; then
		rmmod vgem || die "cannot unload the vgem loaded before the run"
	fi
	ours_file=$(module_file)
}

# load_ours: modprobe vgem (ours: tools/vm installs it in updates/).
load_ours() {
	modprobe vgem || die "modprobe vgem failed"
	ours_module=$(describe "$ours_file")
	progress "ours: loaded $ours_module"
}

load_upstream() {
	# shellcheck disable=SC2046 # one module name per word
	modprobe -a $(modinfo -F depends "$upstream_ko" | tr ',' ' ') ||
		die "cannot load the dependencies of $upstream_ko"
	insmod "$upstream_ko" || die "insmod $upstream_ko failed"
	upstream_module=$(describe "$upstream_ko")
	progress "upstream: loaded $upstream_module"
}

# load_side SIDE / unload_side SIDE: SIDE is ours or upstream.
load_side() {
	if [ "$1" = ours ]; then load_ours; else load_upstream; fi
}

unload_side() {
	rmmod vgem || die "cannot unload the $1 vgem"
	progress "$1: unloaded"
}

# side_order ROUND: odd rounds run ours first, even rounds upstream first
# (in --no-modules checks the side that ran first in a round came out
# faster more often).
side_order() {
	if [ $(($1 % 2)) -eq 1 ]; then echo "ours upstream"; else echo "upstream ours"; fi
}
