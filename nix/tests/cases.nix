# Evaluation test cases. Each attribute is `true` (pass) or a string saying
# what went wrong. run.sh evaluates them one by one:
#   nix-instantiate --eval --strict -E '(import ./cases.nix)."<name>"'
let
  b = builtins;
  lib = import ./stub-lib.nix;
  checks = import ../lib/checks.nix;

  eval = { modules, kernelVersion ? "6.6.58", zfsVersion ? "2.2.7" }:
    import ./eval-modules.nix {
      inherit modules;
      pkgs = import ./stub-pkgs.nix { inherit kernelVersion zfsVersion; };
    };

  key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@test";
  pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

  daemon = extra: eval { modules = [ ./stub-nixos.nix ../module.nix { services.dplaneos.enable = true; } extra ]; };
  good = daemon { services.dplaneos.sshKeys = [ key ]; };
  unit = good.config.systemd.services.dplaned;

  withOta = extra: daemon ({ services.dplaneos.sshKeys = [ key ]; services.dplaneos.ota.enable = true; } // extra);
  otaModules = extra: eval {
    modules = [ ./stub-nixos.nix ../module.nix ../ota-module.nix
      { services.dplaneos = { enable = true; sshKeys = [ key ]; ota.enable = true; }; }
      extra ];
  };
  ota = otaModules { services.dplaneos.ota.publicKey = pem; };

  diskoEval = extra: eval { modules = [ ./stub-nixos.nix ./stub-inputs/disko.nix ../disko.nix extra ]; };
  parts = r: r.config.disko.devices.disk.os.content.partitions;

  imp = eval { modules = [ ./stub-nixos.nix ./stub-inputs/impermanence/nixos.nix ../module.nix ../impermanence.nix ]; };
  persisted = imp.config.environment.persistence."/persist";
  persistedDirs = map (d: if b.isAttrs d then d.directory else d) persisted.directories;

  applianceEval = extra: kv: zv: eval {
    kernelVersion = kv;
    zfsVersion = zv;
    modules = [ ./stub-nixos.nix ../module.nix ../appliance.nix
      { services.dplaneos.sshKeys = [ key ]; } extra ];
  };

  stubNixpkgs = {
    legacyPackages.x86_64-linux = import ./stub-pkgs.nix { };
    lib.nixosSystem = { modules, ... }: eval { modules = [ ./stub-nixos.nix ] ++ modules; };
  };
  flakeInputs = {
    nixpkgs = stubNixpkgs;
    nixpkgs-dotnet = stubNixpkgs;
    disko.nixosModules.disko = ./stub-inputs/disko.nix;
    impermanence = toString ./stub-inputs/impermanence;
  };
  flakeFile = import ../flake.nix;
  flake = flakeFile.outputs (flakeInputs // { self = flake; });
  lock = b.fromJSON (b.readFile ../flake.lock);
  flakeEx = slot: flake.nixosConfigurations."dplaneos-example-${slot}";

  has = sub: msgs: b.any (m: b.match ".*${sub}.*" m != null) msgs;
  expect = cond: why: if cond then true else why;
  show = v: b.toJSON v;
  failed = r: r.failedAssertions;
  noneFailed = r: expect (failed r == [ ]) "unexpected failed assertions: ${show (failed r)}";
  fires = sub: r: expect (has sub (failed r)) "expected an assertion matching '${sub}', got ${show (failed r)}";
  contains = sub: s: b.match ".*${sub}.*" s != null;
  undefined = v: !(b.tryEval v).success;
in
{
  # --- pure checks (lib/checks.nix) ---
  "checks kernel 6.6.58 accepted" = expect (checks.kernelOk "6.6.58") "rejected";
  "checks kernel 6.12.1 rejected" = expect (!checks.kernelOk "6.12.1") "accepted (lower bound only?)";
  "checks kernel 6.1.119 rejected" = expect (!checks.kernelOk "6.1.119") "accepted";
  "checks kernel 6.60.1 rejected" = expect (!checks.kernelOk "6.60.1") "accepted (prefix match?)";
  "checks zfs 2.2.7 accepted" = expect (checks.zfsOk "2.2.7") "rejected";
  "checks zfs 2.3.0 rejected" = expect (!checks.zfsOk "2.3.0") "accepted";
  "checks zfs unstable rejected" = expect (!checks.zfsOk "2.3.0-unstable-2025-01-01") "accepted";
  "checks zfs 2.1.16 rejected" = expect (!checks.zfsOk "2.1.16") "accepted";
  "checks lockout without keys" = expect
    (checks.sshLockout { sshEnabled = true; users = { root = { }; admin.openssh.authorizedKeys.keys = [ ]; }; })
    "not detected";
  "checks no lockout with admin key" = expect
    (!checks.sshLockout { sshEnabled = true; users.admin.openssh.authorizedKeys.keys = [ key ]; })
    "false positive";
  "checks root key with PermitRootLogin=no is a lockout" = expect
    (checks.sshLockout { sshEnabled = true; permitRootLogin = "no"; users.root.openssh.authorizedKeys.keys = [ key ]; })
    "root key counted although root cannot log in";
  "checks root key with prohibit-password is access" = expect
    (!checks.sshLockout { sshEnabled = true; permitRootLogin = "prohibit-password"; users.root.openssh.authorizedKeys.keys = [ key ]; })
    "false positive";
  "checks password auth is not a lockout" = expect
    (!checks.sshLockout { sshEnabled = true; passwordAuthentication = true; users = { }; })
    "false positive";
  "checks AllowUsers excluding key user is a lockout" = expect
    (checks.sshLockout { sshEnabled = true; allowUsers = [ "bob" ]; users.admin.openssh.authorizedKeys.keys = [ key ]; })
    "not detected";
  "checks nologin user with key is a lockout" = expect
    (checks.sshLockout { sshEnabled = true; users.svc = { shell = "/run/current-system/sw/bin/nologin"; openssh.authorizedKeys.keys = [ key ]; }; })
    "not detected";
  "checks garbage key does not count" = expect
    (checks.sshLockout { sshEnabled = true; users.admin.openssh.authorizedKeys.keys = [ "hunter2" ]; })
    "garbage accepted as key";
  "checks ssh disabled is not a lockout" = expect (!checks.sshLockout { sshEnabled = false; users = { }; }) "false positive";
  "checks by-id path" = expect
    (checks.isByIdPath "/dev/disk/by-id/nvme-X_1" && !checks.isByIdPath "/dev/nvme0n1" && !checks.isByIdPath "/dev/disk/by-id/")
    "wrong classification";

  # --- module.nix evaluated with the stub module system ---
  "module lockout assertion fires without sshKeys" = fires "no account can log in" (daemon { });
  "module passes with one admin key" = noneFailed good;
  "module refuses malformed key" = fires "not an OpenSSH public key" (daemon { services.dplaneos.sshKeys = [ "not-a-key" ]; });
  "module malformed-only keys still lock out" = fires "no account can log in" (daemon { services.dplaneos.sshKeys = [ "not-a-key" ]; });
  "module keys of another user avoid lockout" = noneFailed (daemon { users.users.ops.openssh.authorizedKeys.keys = [ key ]; });
  "module AllowUsers without admin locks out" =
    fires "no account can log in" (daemon { services.dplaneos.sshKeys = [ key ]; services.openssh.settings.AllowUsers = [ "nobody" ]; });
  "module ssh.enable=false has no lockout" = noneFailed (daemon { services.dplaneos.ssh.enable = false; });
  "module refuses adminUser=root" = fires "must not be root" (daemon { services.dplaneos = { sshKeys = [ key ]; adminUser = "root"; }; });
  "module disabled defines nothing" =
    let r = eval { modules = [ ./stub-nixos.nix ../module.nix ]; };
    in expect (r.config.assertions == [ ] && undefined r.config.systemd.services.dplaned.serviceConfig.ExecStart) "definitions leak when disabled";
  "module ssh hardened" =
    let s = good.config.services.openssh; in
    expect (s.enable && s.settings.PasswordAuthentication == false && s.settings.KbdInteractiveAuthentication == false
      && s.settings.PermitRootLogin == "no") "settings: ${show s.settings}";
  "module admin in wheel holds the keys" =
    let u = good.config.users.users.admin; in
    expect (u.isNormalUser && b.elem "wheel" u.extraGroups && u.openssh.authorizedKeys.keys == [ key ]) (show u);
  "module root gets no keys" = expect (!(good.config.users.users ? root)) "root has ${show good.config.users.users.root}";
  "module unit Type=notify, NotifyAccess=main, watchdog 30s" =
    let sc = unit.serviceConfig; in
    expect (sc.Type == "notify" && sc.NotifyAccess == "main" && sc.WatchdogSec == "30s"
      && sc.Restart == "on-failure") (show sc);
  "module unit opens no runtime diagnostics socket" =
    expect ((unit.environment.DOTNET_EnableDiagnostics or null) == "0") (show unit.environment);
  "module watchdogSec=0 turns the watchdog off" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; watchdogSec = 0; }; };
        sc = r.config.systemd.services.dplaned.serviceConfig;
    in expect (sc.WatchdogSec == "0s" && sc.Type == "notify" && failed r == [ ]) (show sc);
  "module refuses negative watchdogSec" =
    fires "watchdogSec must be 0" (daemon { services.dplaneos = { sshKeys = [ key ]; watchdogSec = -5; }; });
  "module unit ProtectSystem=strict, data dir writable" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; dataDir = "/srv/dplaneos"; extraWritablePaths = [ "/tank" ]; }; };
        sc = r.config.systemd.services.dplaned.serviceConfig;
    in expect (sc.ProtectSystem == "strict" && sc.ReadWritePaths == [ "/srv/dplaneos" "/tank" ]) (show sc.ReadWritePaths);
  "module unit PATH has zfs, docker, samba" =
    let names = map (p: p.pname) unit.path; in
    expect (b.all (n: b.elem n names) [ "zfs" "docker" "samba" ]) (show names);
  "module ExecStart renders urls, data dir, config" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; listenAddress = "::"; port = 9100; dataDir = "/srv/d"; }; };
        es = r.config.systemd.services.dplaned.serviceConfig.ExecStart;
    in expect (contains "bin/dplaned '--urls' 'http://\\[::]:9100' '--data-dir' '/srv/d' '--config' '/nix/store/[^']*dplaneos.json[^']*'" es
      && r.config.services.dplaneos.healthUrl == "http://[::1]:9100/healthz") "${es} / ${r.config.services.dplaneos.healthUrl}";
  "module settings rendered under DPlaneOS" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; settings.Status.RefreshInterval = "00:00:05"; }; };
        j = b.fromJSON r.config.services.dplaneos.configFile.text;
    in expect (j == { DPlaneOS.Status.RefreshInterval = "00:00:05"; }) (show j);
  "module fleet off: no fleet settings, no port opened" =
    let j = b.fromJSON good.config.services.dplaneos.configFile.text; in
    expect (!(j.DPlaneOS ? Fleet) && undefined good.config.networking.firewall.allowedTCPPorts) (show j);
  "module fleet renders node name, seeds, port and certificates, opens the fleet port" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; fleet = {
          nodeName = "nas-01"; seedNodes = [ "nas-01.lan:4053" "nas-02.lan:4053" ]; hostname = "nas-01.lan";
          certificatePath = "/var/lib/dplaneos-fleet/nas-01.p12"; caPath = "/var/lib/dplaneos-fleet/ca.crt"; }; }; };
        j = (b.fromJSON r.config.services.dplaneos.configFile.text).DPlaneOS;
    in expect (failed r == [ ] && j.NodeName == "nas-01" && j.Fleet.Port == 4053 && j.Fleet.Hostname == "nas-01.lan"
      && j.Fleet.SeedNodes == [ "nas-01.lan:4053" "nas-02.lan:4053" ] && j.Fleet.CertificatePath == "/var/lib/dplaneos-fleet/nas-01.p12"
      && j.Fleet.CaPath == "/var/lib/dplaneos-fleet/ca.crt" && r.config.networking.firewall.allowedTCPPorts == [ 4053 ])
      "${show j} ports ${show (r.config.networking.firewall.allowedTCPPorts or null)} failed ${show (failed r)}";
  "module fleet without certificates refused" =
    fires "needs certificatePath and caPath" (daemon { services.dplaneos = { sshKeys = [ key ]; fleet = { nodeName = "a"; seedNodes = [ "a:4053" ]; }; }; });
  "module fleet without node name refused" =
    fires "nodeName must be set" (daemon { services.dplaneos = { sshKeys = [ key ]; fleet = {
      seedNodes = [ "a:4053" ]; certificatePath = "/k/a.p12"; caPath = "/k/ca.crt"; }; }; });
  "module fleet seed without port refused" =
    fires "not host:port: 'nas-02'" (daemon { services.dplaneos = { sshKeys = [ key ]; fleet = {
      nodeName = "a"; seedNodes = [ "nas-02" ]; certificatePath = "/k/a.p12"; caPath = "/k/ca.crt"; }; }; });
  "module fleet settings override the fleet options" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; settings.NodeName = "explicit"; fleet.nodeName = "from-fleet"; }; };
    in expect ((b.fromJSON r.config.services.dplaneos.configFile.text).DPlaneOS.NodeName == "explicit") "fleet option won over settings";
  "module pre-upgrade hook snapshots before switch" =
    let h = good.config.system.preSwitchChecks.dplaneos-pre-upgrade-snapshot or ""; in
    expect (contains "bin/dplaned snapshot pre-upgrade" h && contains "switch\\|boot" h) h;
  "module pre-upgrade hook can be turned off" =
    let r = daemon { services.dplaneos = { sshKeys = [ key ]; preUpgradeSnapshot = false; }; }; in
    expect (undefined r.config.system.preSwitchChecks.dplaneos-pre-upgrade-snapshot) "hook still defined";

  # --- package.nix / deps.json ---
  "package builds the gateway with deps.json for x86_64-linux" =
    let p = import ../package.nix {
          lib.fileset = { toSource = a: a; unions = l: l; maybeMissing = p: p; };
          buildDotnetModule = a: a;
          dotnetCorePackages = { sdk_10_0 = "sdk_10_0"; aspnetcore_10_0 = "aspnetcore_10_0"; };
        };
    in expect (p.nugetDeps == ../deps.json && p.projectFile == "src/Gateway/DPlaneOS.Gateway.csproj"
      && p.meta.platforms == [ "x86_64-linux" ] && p.dotnet-sdk == "sdk_10_0" && p.executables == [ "dplaned" ])
      (show (removeAttrs p [ "src" ]));
  "deps.json reads in Nix as a list of {pname, version, hash}" =
    let d = b.fromJSON (b.readFile ../deps.json); in
    expect (b.isList d && d != [ ] && b.all (e: b.attrNames e == [ "hash" "pname" "version" ]) d) "unexpected shape";

  # --- ota-module.nix ---
  "ota timer runs 90s after boot" =
    let t = ota.config.systemd.timers.dplaneos-ota-health; in
    expect (t.timerConfig.OnBootSec == "90s" && b.elem "timers.target" t.wantedBy
      && t.timerConfig.Unit == "dplaneos-ota-health.service") (show t);
  "ota service ordered after the daemon" =
    let s = ota.config.systemd.services.dplaneos-ota-health; in
    expect (b.elem "dplaned.service" s.after && s.serviceConfig.Type == "oneshot"
      && contains ".*/bin/dplaneos-ota health-check" s.serviceConfig.ExecStart) (show s);
  "ota wrapper forces key, health URL and snapshot" =
    let t = ota.config.services.dplaneos.ota.package.text; in
    expect (contains "export OTA_PUBKEY=/nix/store/[^ ]*dplaneos-ota-signing.pub" t
      && contains "OTA_HEALTH_URL='http://127.0.0.1:9000/healthz'" t && contains "export OTA_SNAPSHOT=" t) t;
  "ota wrapper pins every variable the script reads from its environment" =
    let
      t = ota.config.services.dplaneos.ota.package.text;
      # The script's environment inputs, read from the script itself so the list cannot go stale:
      # every OTA_* name, and every other variable it gives a default (''${NAME:-…} or ''${NAME-…}).
      inputs = lib.unique (b.filter (n: n != null) (b.concatLists (b.filter b.isList
        (b.split "(OTA_[A-Z0-9_]+)|\\$\\{([A-Z_][A-Z0-9_]*):?-" (b.readFile ../ota-update.sh)))));
      # A fixed value: a quoted literal or a store path, never an expansion of what the caller passed.
      pinned = n: b.match ".*\nexport ${n}=('[^'$]+'|/nix/store/[^[:space:]$']+)\n.*" "\n${t}\n" != null;
      loose = b.filter (n: !pinned n) inputs;
    in
    expect (b.length inputs >= 17 && b.elem "TMPDIR" inputs && loose == [ ]
      && b.match ".*\nexport PATH=[^$\n]+\n.*" "\n${t}\n" != null)
      "not pinned: ${show loose} (script reads ${show inputs}); wrapper: ${t}";
  "ota refuses missing public key" = fires "publicKey must be a PEM" (otaModules { });
  "ota passes with a PEM key" = noneFailed ota;

  # --- disko.nix ---
  "disko layout ESP 512M, slots 8G, persist rest" =
    let p = parts (diskoEval { dplaneos.disk = "/dev/disk/by-id/nvme-X_1"; }); in
    expect (p.ESP.size == "512M" && p.ESP.content.format == "vfat" && p.ESP.content.mountpoint == "/boot"
      && p.system-a.size == "8G" && p.system-b.size == "8G" && p.system-a.label == "system-a"
      && p.system-b.label == "system-b" && p.persist.size == "100%" && p.persist.content.mountpoint == "/persist"
      && p.ESP.priority < p.system-a.priority && p.system-a.priority < p.system-b.priority
      && p.system-b.priority < p.persist.priority) (show p);
  "disko disk given by id" =
    let r = diskoEval { dplaneos.disk = "/dev/disk/by-id/nvme-X_1"; }; in
    expect (r.config.disko.devices.disk.os.device == "/dev/disk/by-id/nvme-X_1" && failed r == [ ]) (show (failed r));
  "disko refuses /dev/nvme0n1" = fires "by-id" (diskoEval { dplaneos.disk = "/dev/nvme0n1"; });
  "disko slot a mounts system-a at /nix" =
    let r = diskoEval { dplaneos.disk = "/dev/disk/by-id/x"; }; p = parts r; in
    expect (p.system-a.content.mountpoint == "/nix" && p.system-b.content.mountpoint == null
      && b.elem "dplaneos.slot=a" r.config.boot.kernelParams) (show p);
  "disko slot b mounts system-b at /nix" =
    let r = diskoEval { dplaneos = { disk = "/dev/disk/by-id/x"; slot = "b"; }; }; p = parts r; in
    expect (p.system-b.content.mountpoint == "/nix" && p.system-a.content.mountpoint == null
      && b.elem "dplaneos.slot=b" r.config.boot.kernelParams) (show p);

  # --- impermanence.nix ---
  "impermanence root on tmpfs" =
    expect (imp.config.fileSystems."/".fsType == "tmpfs" && imp.config.fileSystems."/persist".neededForBoot
      && failed imp == [ ]) (show imp.config.fileSystems);
  "impermanence persists data dir, docker, samba, network, logs" =
    let want = [ "/var/lib/dplaneos" "/var/lib/docker" "/var/lib/samba" "/etc/systemd/network" "/var/log" "/var/lib/nixos" ]; in
    expect (b.all (d: b.elem d persistedDirs) want) (show persistedDirs);
  "impermanence persists machine-id and ssh host keys" =
    let hk = map (k: k.path) imp.config.services.openssh.hostKeys; in
    expect (b.elem "/etc/machine-id" persisted.files && b.all (p: contains "/persist/etc/ssh/ssh_host_.*" p) hk && hk != [ ])
      (show { inherit hk; inherit (persisted) files; });
  "impermanence does not persist /etc/hostid" = expect (!b.elem "/etc/hostid" persisted.files) "hostid persisted (conflicts with networking.hostId)";

  # --- appliance.nix: version pins ---
  "pins pass on kernel 6.6 / zfs 2.2" = noneFailed (applianceEval { } "6.6.58" "2.2.7");
  "pins kernel 6.12 fires" = fires "kernel 6.12.3 is not on the pinned 6.6" (applianceEval { } "6.12.3" "2.2.7");
  "pins kernel 6.1 fires" = fires "kernel 6.1.119 is not on the pinned 6.6" (applianceEval { } "6.1.119" "2.2.7");
  "pins zfs 2.3 fires" = fires "OpenZFS 2.3.0 is not on the pinned 2.2" (applianceEval { } "6.6.58" "2.3.0");
  "pins override to zfs_unstable fires" =
    fires "OpenZFS 2.4.0-rc1 is not on the pinned 2.2"
      (applianceEval { boot.zfs.package = (import ./stub-lib.nix).mkForce { version = "2.4.0-rc1"; }; } "6.6.58" "2.2.7");

  # --- flake.nix ---
  "flake inputs pinned to commits" =
    let urls = b.mapAttrs (_: i: i.url) flakeFile.inputs; in
    expect (b.all (u: b.match "github:[^/]+/[^/]+/[0-9a-f]{40}" u != null) (b.attrValues urls)) (show urls);
  "flake lock matches inputs with narHash" =
    let ok = n:
      let node = lock.nodes.${lock.nodes.root.inputs.${n}} or null; in
      node != null && (node.locked.narHash or "") != ""
      && b.match "github:[^/]+/[^/]+/${node.locked.rev}" flakeFile.inputs.${n}.url != null;
    in expect (b.all ok (b.attrNames flakeFile.inputs)) "lock/inputs mismatch";
  "flake outputs module, package, appliance" =
    expect (flake.nixosModules ? dplaneos && flake.packages.x86_64-linux ? dplaned
      && flake.nixosConfigurations ? dplaneos-example-a && flake.nixosConfigurations ? dplaneos-example-b) "missing outputs";
  "flake appliance a evaluates clean" = noneFailed (flakeEx "a");
  "flake appliance uses all modules" =
    let c = (flakeEx "b").config; in
    expect (c.fileSystems."/".fsType == "tmpfs" && c.boot.kernelPackages.kernel.version == "6.6.58"
      && c.boot.zfs.package.version == "2.2.7"
      && c.disko.devices.disk.os.content.partitions.system-b.content.mountpoint == "/nix"
      && c.systemd.timers.dplaneos-ota-health.timerConfig.OnBootSec == "90s"
      && c.systemd.services.dplaned.serviceConfig.Type == "notify"
      && c.services.dplaneos.package.pname == "dplaned") "appliance b is missing a part";
  "flake mkAppliance refuses no ssh keys" =
    fires "no account can log in" (flake.lib.mkAppliance {
      disk = "/dev/disk/by-id/x"; hostId = "00000001"; sshKeys = [ ]; otaPublicKey = pem;
    });
}
