#!/usr/bin/env bash
# Cross-builds the Lotline terminal for arm64 handhelds and stations
# (aarch64-unknown-linux-gnu) on a Debian/Ubuntu amd64 machine, with
# Debian's cross compiler and Debian's arm64 libraries, and checks that the
# result is an arm64 executable.
#
#   packaging/cross-aarch64.sh            # the kiosk build (LinuxKMS)
#   FEATURES= packaging/cross-aarch64.sh  # the plain desktop build
#   SKIP_SETUP=1 packaging/cross-aarch64.sh   # packages already installed
#
# The binary lands in ${CARGO_TARGET_DIR:-target}/aarch64-unknown-linux-gnu/release/lotline;
# `cargo deb --variant kiosk --target aarch64-unknown-linux-gnu --no-build`
# packages it afterwards (see packaging/README.md). Setting up needs root
# (or sudo) for dpkg and apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=aarch64-unknown-linux-gnu
FEATURES=${FEATURES-kiosk}
CROSS=aarch64-linux-gnu

step() { printf '\n==== %s ====\n' "$*"; }

if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi

if [ -z "${SKIP_SETUP:-}" ]; then
    step "Debian: arm64 architecture, cross compiler, arm64 libraries"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        $SUDO dpkg --add-architecture arm64
    fi
    $SUDO apt-get update
    packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross pkg-config file)
    if [ -n "$FEATURES" ]; then
        # What the kiosk build links: libinput (touch and keys), libudev
        # (device discovery), GBM (buffers) and xkbcommon (keymaps).
        packages+=(libinput-dev:arm64 libudev-dev:arm64 libgbm-dev:arm64 libxkbcommon-dev:arm64)
    fi
    $SUDO apt-get install -y --no-install-recommends "${packages[@]}"

    step "Rust: the $TARGET standard library"
    rustup target add "$TARGET"
fi

step "build"
# The linker and the C compiler (SQLite, libusb, ring are C) for the
# target; pkg-config looks only at the arm64 libraries.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER="$CROSS-gcc"
export CC_aarch64_unknown_linux_gnu="$CROSS-gcc"
export AR_aarch64_unknown_linux_gnu="$CROSS-ar"
export PKG_CONFIG_ALLOW_CROSS=1
export PKG_CONFIG_LIBDIR="/usr/lib/$CROSS/pkgconfig:/usr/share/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR=/
root=$PWD
build=(cargo build --locked --release --target "$TARGET" --bin lotline --manifest-path "$root/Cargo.toml")
if [ -n "$FEATURES" ]; then
    # The kiosk links libudev (libinput needs it), which its udev crate
    # finds with pkg-config; the project's .cargo/config.toml forbids that
    # (LIBUDEV_NO_PKG_CONFIG, keeping the plain build free of libudev). That
    # file applies only to builds started inside the source tree.
    (cd / && "${build[@]}" --features "$FEATURES")
else
    "${build[@]}"
fi

step "check"
binary="${CARGO_TARGET_DIR:-$root/target}/$TARGET/release/lotline"
description=$(file -b "$binary")
echo "$binary: $description"
case "$description" in
    *"ELF 64-bit"*"ARM aarch64"*) echo "OK: an arm64 executable" ;;
    *) echo "FAIL: $binary is not an arm64 ELF executable" >&2; exit 1 ;;
esac
