# Stub package set: derivations are plain attrsets with an outPath, so
# "${pkg}/bin/x" interpolates without building anything.
{ kernelVersion ? "6.6.58", zfsVersion ? "2.2.7" }:
let
  drv = pname: version: {
    type = "derivation";
    inherit pname version;
    name = "${pname}-${version}";
    outPath = "/nix/store/00000000000000000000000000000000-${pname}-${version}";
    meta.mainProgram = pname;
  };
  self = {
    lib = import ./stub-lib.nix;
    writeText = name: text: (drv name "text") // { inherit text; };
    writeShellScript = name: text: (drv name "script") // { inherit text; };
    writeShellApplication = { name, text, runtimeInputs ? [ ], runtimeEnv ? { }, ... }:
      (drv name "app") // { inherit text runtimeInputs runtimeEnv; };
    callPackage = _path: _args: drv "dplaned" "0.1.0";
    dplaned = drv "dplaned" "0.1.0";
    zfs = drv "zfs" zfsVersion;
    zfs_2_2 = drv "zfs" zfsVersion;
    docker = drv "docker" "27.5.1";
    samba = drv "samba" "4.20.4";
    coreutils = drv "coreutils" "9.5";
    util-linux = drv "util-linux" "2.40";
    smartmontools = drv "smartmontools" "7.4";
    systemd = drv "systemd" "257";
    curl = drv "curl" "8.11";
    openssl = drv "openssl" "3.3";
    gnutar = drv "gnutar" "1.35";
    gzip = drv "gzip" "1.13";
    zstd = drv "zstd" "1.5";
    gnugrep = drv "gnugrep" "3.11";
    gnused = drv "gnused" "4.9";
    jq = drv "jq" "1.7";
    bash = drv "bash" "5.2";
    linuxPackages_6_6 = { kernel = drv "linux" kernelVersion; };
  };
in
self
