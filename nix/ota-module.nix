# OTA tooling for the appliance: the dplaneos-ota command and the
# post-boot health check that commits a freshly booted slot or reverts it.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf mkDefault types;
  dcfg = config.services.dplaneos;
  cfg = dcfg.ota;

  publicKeyFile = pkgs.writeText "dplaneos-ota-signing.pub" cfg.publicKey;

  snapshotCmd = pkgs.writeShellScript "dplaneos-pre-upgrade-snapshot" ''
    exec ${dcfg.package}/bin/dplaned "$@" --data-dir ${lib.escapeShellArg dcfg.dataDir} --config ${dcfg.configFile}
  '';

  runtimeInputs = with pkgs; [
    bash coreutils gnutar gzip zstd gnugrep gnused util-linux openssl curl systemd
  ];

  # Every variable ota-update.sh reads from its environment, fixed here: nothing in the caller's
  # environment (`OTA_PUBKEY=/tmp/key sudo dplaneos-ota apply`, a systemd drop-in) can redirect the
  # key, the slots, the ESP or the tools. nix/tests/cases.nix derives the list from the script.
  pinned = {
    OTA_PUBKEY = publicKeyFile;
    OTA_STATE_DIR = cfg.stateDir;
    OTA_VERSION_FILE = "/etc/dplaneos/version"; # module.nix writes it
    OTA_CMDLINE = "/proc/cmdline";
    OTA_SLOT_A = "/dev/disk/by-partlabel/system-a"; # disko.nix labels
    OTA_SLOT_B = "/dev/disk/by-partlabel/system-b";
    OTA_ESP = "/boot";
    OTA_HEALTH_URL = dcfg.healthUrl;
    OTA_HEALTH_TIMEOUT = toString cfg.healthTimeout;
    OTA_HEALTH_INTERVAL = "5";
    OTA_OPENSSL = lib.getExe' pkgs.openssl "openssl";
    OTA_CURL = lib.getExe' pkgs.curl "curl";
    OTA_SYSTEMCTL = lib.getExe' pkgs.systemd "systemctl";
    OTA_BOOTCTL = lib.getExe' pkgs.systemd "bootctl";
    OTA_REBOOT = lib.getExe' pkgs.systemd "reboot";
    OTA_SNAPSHOT = snapshotCmd;
    TMPDIR = "/tmp";
  };
  # Store paths are shell-safe as they are; everything else is quoted.
  pin = name: value: "export ${name}=${if builtins.isString value then lib.escapeShellArg value else toString value}";

  otaTool = pkgs.writeShellApplication {
    name = "dplaneos-ota";
    inherit runtimeInputs;
    text = ''
      export PATH=${lib.makeBinPath runtimeInputs}
      ${lib.concatStringsSep "\n" (lib.mapAttrsToList pin pinned)}
      exec bash ${./ota-update.sh} "$@"
    '';
  };
in
{
  options.services.dplaneos.ota = {
    enable = mkEnableOption "signed A/B OTA updates with post-boot health check";

    publicKey = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "PEM (BEGIN PUBLIC KEY) Ed25519 key that must have signed every bundle manifest.";
    };

    stateDir = mkOption {
      type = types.str;
      default = "/persist/ota";
      description = "Persistent OTA state (pending marker, last good slot, log).";
    };

    healthDelaySec = mkOption {
      type = types.int;
      default = 90;
      description = "Seconds after boot at which the health check starts.";
    };

    healthTimeout = mkOption {
      type = types.int;
      default = 90;
      description = "Seconds the daemon and systemd get to become healthy before the slot is reverted.";
    };

    package = mkOption {
      type = types.package;
      readOnly = true;
      default = otaTool;
      description = "The wrapped dplaneos-ota command.";
    };
  };

  config = mkIf (dcfg.enable && cfg.enable) {
    assertions = [{
      assertion = cfg.publicKey != null
        && builtins.match "-----BEGIN PUBLIC KEY-----.*-----END PUBLIC KEY-----[[:space:]]*" cfg.publicKey != null;
      message = "services.dplaneos.ota.publicKey must be a PEM Ed25519 public key (BEGIN PUBLIC KEY).";
    }];

    environment.systemPackages = [ otaTool ];
    systemd.tmpfiles.rules = [ "d ${cfg.stateDir} 0700 root root - -" ];

    # A new slot that hangs is reset by the hardware watchdog; the one-shot
    # boot entry is then spent and the old default slot comes back.
    systemd.watchdog.runtimeTime = mkDefault "30s";

    systemd.services.dplaneos-ota-health = {
      description = "DPlaneOS OTA health check (commit or revert the booted slot)";
      after = [ "dplaned.service" "network-online.target" ];
      wants = [ "dplaned.service" ];
      serviceConfig = {
        Type = "oneshot";
        ExecStart = "${otaTool}/bin/dplaneos-ota health-check";
        TimeoutStartSec = "${toString (cfg.healthTimeout + 60)}s";
      };
    };

    systemd.timers.dplaneos-ota-health = {
      description = "Run the DPlaneOS OTA health check after boot";
      wantedBy = [ "timers.target" ];
      timerConfig = {
        OnBootSec = "${toString cfg.healthDelaySec}s";
        AccuracySec = "1s";
        Unit = "dplaneos-ota-health.service";
      };
    };
  };
}
