# services.dplaneos: the DPlaneOS supervisor daemon (dplaned), its admin
# account and SSH hardening.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption mkEnableOption mkIf mkMerge mkDefault types
    literalExpression optional optionalAttrs escapeShellArgs;

  cfg = config.services.dplaneos;
  checks = import ./lib/checks.nix;
  ssh = config.services.openssh;

  # --urls wants a bracketed IPv6 literal.
  urlHost = a: if lib.hasInfix ":" a then "[${a}]" else a;
  listenUrl = "http://${urlHost cfg.listenAddress}:${toString cfg.port}";

  # Where a local prober (OTA health check) reaches the daemon.
  probeHost =
    if cfg.listenAddress == "0.0.0.0" then "127.0.0.1"
    else if cfg.listenAddress == "::" then "::1"
    else cfg.listenAddress;

  fleet = cfg.fleet;
  fleetOn = fleet.seedNodes != [ ];
  # The fleet options as the daemon reads them; explicit `settings` win.
  fleetSettings =
    optionalAttrs (fleet.nodeName != null) { NodeName = fleet.nodeName; }
    // optionalAttrs fleetOn {
      Fleet = {
        Port = fleet.port;
        SeedNodes = fleet.seedNodes;
        CertificatePath = fleet.certificatePath;
        CaPath = fleet.caPath;
      } // optionalAttrs (fleet.hostname != null) { Hostname = fleet.hostname; };
    };
  absolute = p: p != null && builtins.substring 0 1 p == "/";
  badSeeds = builtins.filter (s: builtins.match "[A-Za-z0-9.-]+:[0-9]+" s == null) fleet.seedNodes;

  # Rendered ASP.NET configuration: everything lives in section "DPlaneOS".
  configFile = pkgs.writeText "dplaneos.json" (builtins.toJSON { DPlaneOS = lib.recursiveUpdate fleetSettings cfg.settings; });

  daemonArgs = [
    "--urls" listenUrl
    "--data-dir" cfg.dataDir
    "--config" "${configFile}"
  ];

  toolPath = [
    config.boot.zfs.package # zfs, zpool
    config.virtualisation.docker.package
    config.services.samba.package # smbcontrol, smbstatus, testparm
    pkgs.smartmontools
    pkgs.util-linux
    pkgs.coreutils
    pkgs.systemd
  ];

  # Runs from switch-to-configuration of the *new* system: $1 = new toplevel,
  # $2 = action. A failing snapshot aborts the switch.
  preUpgrade = ''
    action="''${2-switch}"
    case "$action" in
      switch|boot) ;;
      *) exit 0 ;;
    esac
    if [ ! -e /run/current-system/sw/bin/dplaned ]; then
      # first install, or the running system has no daemon: nothing to protect yet
      exit 0
    fi
    echo "dplaneos: taking pre-upgrade snapshot before '$action'" >&2
    if ! ${cfg.package}/bin/dplaned snapshot pre-upgrade --data-dir ${lib.escapeShellArg cfg.dataDir} --config ${configFile}; then
      echo "dplaneos: pre-upgrade snapshot FAILED; refusing to $action (set services.dplaneos.preUpgradeSnapshot = false to override)" >&2
      exit 1
    fi
  '';
in
{
  options.services.dplaneos = {
    enable = mkEnableOption "the DPlaneOS NAS supervisor daemon (dplaned)";

    package = mkOption {
      type = types.package;
      default = pkgs.dplaned or (pkgs.callPackage ./package.nix { });
      defaultText = literalExpression "pkgs.dplaned (from the flake overlay)";
      description = "The dplaned package.";
    };

    listenAddress = mkOption {
      type = types.str;
      default = "127.0.0.1";
      description = "Address the daemon listens on (use a reverse proxy for remote access).";
    };

    port = mkOption {
      type = types.port;
      default = 9000;
      description = "TCP port of the daemon.";
    };

    dataDir = mkOption {
      type = types.str;
      default = "/var/lib/dplaneos";
      description = "State directory of the daemon (the only writable path besides extraWritablePaths).";
    };

    settings = mkOption {
      type = types.attrs;
      default = { };
      example = literalExpression ''{ Status.RefreshInterval = "00:00:05"; }'';
      description = ''
        ASP.NET configuration of the daemon, rendered as the JSON section
        "DPlaneOS" and passed with --config. Lands in the world-readable Nix
        store: put secrets into environmentFile instead (DPlaneOS__Key=value).
      '';
    };

    fleet = {
      nodeName = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "This node's name, unique in the fleet (DPlaneOS:NodeName); null: the host name.";
      };
      seedNodes = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "nas-01.lan:4053" "nas-02.lan:4053" ];
        description = ''
          host:port of the nodes a starting node contacts to join the fleet. Empty: no fleet, and the
          daemon opens no port but its HTTP one.
        '';
      };
      hostname = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The name or address other nodes reach this one at (DPlaneOS:Fleet:Hostname).";
      };
      port = mkOption {
        type = types.port;
        default = 4053;
        description = "The fleet port (mutual TLS); opened in the firewall only when seedNodes is set.";
      };
      certificatePath = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "This node's PKCS#12 file from `dplaned fleet cert create` (outside the Nix store).";
      };
      caPath = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The fleet CA certificate (PEM) from `dplaned fleet ca create`.";
      };
    };

    environmentFile = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = "Optional EnvironmentFile (outside the store) for secret settings.";
    };

    extraWritablePaths = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "/tank" ];
      description = "Extra writable paths for the daemon, e.g. pool mountpoints (ProtectSystem=strict).";
    };

    watchdogSec = mkOption {
      type = types.int;
      default = 30;
      description = ''
        systemd WatchdogSec in seconds (0 disables). dplaned sends WATCHDOG=1
        every watchdogSec/2, and only while its actor system answers; when it
        stops, systemd aborts the daemon and Restart=on-failure starts it again.
      '';
    };

    preUpgradeSnapshot = mkOption {
      type = types.bool;
      default = true;
      description = "Run `dplaned snapshot pre-upgrade` before switch-to-configuration switch/boot.";
    };

    ssh = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Enable OpenSSH, hardened: public keys only, no root login.";
      };
    };

    adminUser = mkOption {
      type = types.str;
      default = "admin";
      description = "Name of the administrator account (member of wheel) that receives sshKeys.";
    };

    sshKeys = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "SSH public keys of the admin user. Root never gets keys and cannot log in over SSH.";
    };

    adminHashedPassword = mkOption {
      type = types.nullOr types.str;
      default = null;
      description = ''
        Optional password hash of the admin user, for the console and sudo
        only (SSH never accepts passwords). When null, wheel needs no
        password for sudo, since the admin would otherwise have no way to use it.
      '';
    };

    configFile = mkOption {
      type = types.package;
      readOnly = true;
      default = configFile;
      description = "The rendered JSON configuration passed with --config.";
    };

    healthUrl = mkOption {
      type = types.str;
      readOnly = true;
      default = "http://${urlHost probeHost}:${toString cfg.port}/healthz";
      description = "Liveness URL of the daemon (used by the OTA health check).";
    };
  };

  config = mkIf cfg.enable (mkMerge [
    {
      assertions = [
        {
          assertion = builtins.substring 0 1 cfg.dataDir == "/";
          message = "services.dplaneos.dataDir must be an absolute path (got '${cfg.dataDir}').";
        }
        {
          assertion = cfg.watchdogSec >= 0;
          message = "services.dplaneos.watchdogSec must be 0 (off) or a positive number of seconds (got ${toString cfg.watchdogSec}).";
        }
        {
          assertion = !fleetOn || (absolute fleet.certificatePath && absolute fleet.caPath);
          message = "services.dplaneos.fleet: a fleet (seedNodes set) needs certificatePath and caPath, absolute paths outside the Nix store.";
        }
        {
          assertion = !fleetOn || fleet.nodeName != null;
          message = "services.dplaneos.fleet.nodeName must be set in a fleet: node names must be unique and stable.";
        }
        {
          assertion = badSeeds == [ ];
          message = "services.dplaneos.fleet.seedNodes: not host:port: " + builtins.concatStringsSep ", " (map (s: "'${s}'") badSeeds);
        }
        {
          assertion = cfg.adminUser != "root";
          message = "services.dplaneos.adminUser must not be root (root never logs in over SSH).";
        }
        {
          assertion = checks.invalidKeys cfg.sshKeys == [ ];
          message = "services.dplaneos.sshKeys: not an OpenSSH public key: "
            + builtins.concatStringsSep ", " (map (k: "'${k}'") (checks.invalidKeys cfg.sshKeys));
        }
        {
          assertion = !(checks.sshLockout {
            sshEnabled = ssh.enable;
            passwordAuthentication = ssh.settings.PasswordAuthentication;
            kbdInteractiveAuthentication = ssh.settings.KbdInteractiveAuthentication;
            permitRootLogin = ssh.settings.PermitRootLogin;
            allowUsers = ssh.settings.AllowUsers or null;
            users = config.users.users;
          });
          message = checks.lockoutMessage;
        }
      ];

      boot.supportedFilesystems = [ "zfs" ];
      virtualisation.docker.enable = mkDefault true;
      services.samba.enable = mkDefault true;

      # OTA compares bundle versions against this.
      environment.etc."dplaneos/version".text = "${cfg.package.version}\n";
      environment.etc."dplaneos/dplaneos.json".source = configFile;
      environment.systemPackages = [ cfg.package ];

      systemd.tmpfiles.rules = [ "d ${cfg.dataDir} 0750 root root - -" ];

      systemd.services.dplaned = {
        description = "DPlaneOS NAS supervisor";
        wantedBy = [ "multi-user.target" ];
        wants = [ "network-online.target" ];
        # Ordered after pool import but never Requires= it: a fresh appliance
        # without pools must still start the daemon (setup mode).
        after = [ "network-online.target" "zfs-import.target" "zfs.target" "docker.service" ];
        path = toolPath;
        restartTriggers = [ configFile ];
        environment = {
          DOTNET_CLI_TELEMETRY_OPTOUT = "1";
          DOTNET_NOLOGO = "1";
          # No runtime diagnostics socket (/tmp/dotnet-diagnostic-*): the daemon listens on its
          # HTTP address only.
          DOTNET_EnableDiagnostics = "0";
        };
        serviceConfig = {
          # The daemon reports READY=1 itself once the host has started
          # (UseSystemd); the watchdog only counts from then on, so a slow
          # start is bounded by TimeoutStartSec, not WatchdogSec.
          Type = "notify";
          # Only the daemon's own PID may notify: the package's wrapper execs
          # the apphost (same PID), and the zfs/docker/samba tools it spawns
          # cannot report READY or pet the watchdog on its behalf.
          NotifyAccess = "main";
          ExecStart = "${cfg.package}/bin/dplaned ${escapeShellArgs daemonArgs}";
          Restart = "on-failure";
          RestartSec = "5s";
          TimeoutStartSec = "120s";
          # systemd passes WATCHDOG_USEC; the daemon pets at half of it.
          WatchdogSec = "${toString cfg.watchdogSec}s";
          ProtectSystem = "strict";
          ReadWritePaths = [ cfg.dataDir ] ++ cfg.extraWritablePaths;
          RuntimeDirectory = "dplaneos";
          LogsDirectory = "dplaneos";
          ProtectHome = true;
          PrivateTmp = true;
          NoNewPrivileges = true;
          ProtectKernelTunables = false; # zfs module parameters
          LockPersonality = true;
          RestrictRealtime = true;
          UMask = "0027";
        } // optionalAttrs (cfg.environmentFile != null) {
          EnvironmentFile = cfg.environmentFile;
        };
      };
    }

    (mkIf fleetOn {
      networking.firewall.allowedTCPPorts = [ fleet.port ];
    })

    (mkIf cfg.preUpgradeSnapshot {
      system.preSwitchChecks.dplaneos-pre-upgrade-snapshot = preUpgrade;
    })

    (mkIf cfg.ssh.enable {
      services.openssh = {
        enable = true;
        openFirewall = true;
        settings = {
          PasswordAuthentication = false;
          KbdInteractiveAuthentication = false;
          PermitRootLogin = "no";
          X11Forwarding = false;
        };
      };

      users.users.${cfg.adminUser} = {
        isNormalUser = true;
        extraGroups = [ "wheel" ];
        openssh.authorizedKeys.keys = cfg.sshKeys;
      } // optionalAttrs (cfg.adminHashedPassword != null) {
        hashedPassword = cfg.adminHashedPassword;
      };

      security.sudo.wheelNeedsPassword = mkDefault (cfg.adminHashedPassword != null);
    })
  ]);
}
