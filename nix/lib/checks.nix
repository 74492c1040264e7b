# Pure assertion logic shared by the NixOS modules and the tests.
#
# Uses builtins only (no nixpkgs lib), so the tests can evaluate every
# function here with `nix-instantiate --eval --strict` and stub inputs.
let
  # "6.6.58" -> "6.6"; null when the string does not start with N.N
  majorMinor = v:
    let m = builtins.match "([0-9]+)\\.([0-9]+)([.+~-].*)?" v;
    in if m == null then null
       else "${builtins.elemAt m 0}.${builtins.elemAt m 1}";

  # Pin check: same major.minor line, nothing older or newer.
  # Deliberately NOT a lower bound: 6.12 or zfs 2.3 must be rejected.
  onLine = line: v: majorMinor v == line;

  keyRegex =
    "(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/]+=*( .*)?";

  isValidKey = k: builtins.isString k && builtins.match keyRegex k != null;

  nologinShell = s:
    s != null && builtins.match ".*/(nologin|false)" (toString s) != null;

  userKeys = u:
    ((u.openssh or { }).authorizedKeys or { }).keys or [ ];
  userKeyFiles = u:
    ((u.openssh or { }).authorizedKeys or { }).keyFiles or [ ];
in
rec {
  inherit majorMinor isValidKey;

  kernelLine = "6.6";
  zfsLine = "2.2";

  kernelOk = v: onLine kernelLine v;
  zfsOk = v: onLine zfsLine v;

  kernelMessage = v:
    "dplaneos: kernel ${v} is not on the pinned ${kernelLine} LTS line "
    + "(boot.kernelPackages must be linuxPackages_6_6).";
  zfsMessage = v:
    "dplaneos: OpenZFS ${v} is not on the pinned ${zfsLine} line "
    + "(boot.zfs.package must be zfs_2_2; zfs_2_3/zfs_unstable are not allowed).";

  # Users that can log in over SSH with a public key.
  #   users           : config.users.users (attrset name -> user)
  #   allowUsers      : services.openssh.settings.AllowUsers (null = everybody)
  #   permitRootLogin : services.openssh.settings.PermitRootLogin
  keyLoginUsers = { users, allowUsers ? null, permitRootLogin ? "no" }:
    builtins.filter
      (name:
        let u = users.${name}; in
        (builtins.any isValidKey (userKeys u) || userKeyFiles u != [ ])
        && !(nologinShell (u.shell or null))
        && (allowUsers == null || builtins.elem name allowUsers)
        && (name != "root"
            || builtins.elem permitRootLogin [ "yes" "prohibit-password" "without-password" ]))
      (builtins.attrNames users);

  # True when SSH is on, password/keyboard-interactive logins are off and no
  # account is left that can log in with a key: nobody gets in remotely.
  sshLockout =
    { sshEnabled
    , passwordAuthentication ? false
    , kbdInteractiveAuthentication ? false
    , permitRootLogin ? "no"
    , allowUsers ? null
    , users
    }:
    sshEnabled
    && !passwordAuthentication
    && !kbdInteractiveAuthentication
    && keyLoginUsers { inherit users allowUsers permitRootLogin; } == [ ];

  lockoutMessage =
    "dplaneos: SSH is hardened (no passwords, no keyboard-interactive, no root login) "
    + "but no account can log in with a key: set services.dplaneos.sshKeys to at least "
    + "one valid public key (they go to the admin user), or disable services.dplaneos.ssh.enable.";

  invalidKeys = keys: builtins.filter (k: !isValidKey k) keys;

  isByIdPath = p:
    builtins.isString p && builtins.match "/dev/disk/by-id/[^/]+" p != null;
}
