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

  # The key is forced here: the environment of the caller cannot replace it.
  otaTool = pkgs.writeShellApplication {
    name = "dplaneos-ota";
    runtimeInputs = with pkgs; [
      bash coreutils gnutar gzip zstd gnugrep gnused util-linux openssl curl systemd
    ];
    text = ''
      export OTA_PUBKEY=${publicKeyFile}
      export OTA_STATE_DIR=${lib.escapeShellArg cfg.stateDir}
      export OTA_HEALTH_URL=${lib.escapeShellArg dcfg.healthUrl}
      export OTA_HEALTH_TIMEOUT=${toString cfg.healthTimeout}
      export OTA_SNAPSHOT=${snapshotCmd}
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
