# Ephemeral root: "/" is a tmpfs, wiped on every boot. /nix comes from the
# active system slot (disko.nix); state that must survive lives on /persist
# and is bind-mounted back by the impermanence module
# (/persist/<same path>, e.g. /persist/var/lib/dplaneos).
{ config, lib, ... }:
let
  inherit (lib) mkDefault;
  dataDir = config.services.dplaneos.dataDir;
  persistDir = "/persist";
in
{
  fileSystems."/" = {
    device = "none";
    fsType = "tmpfs";
    options = [ "defaults" "size=2G" "mode=0755" ];
  };
  fileSystems.${persistDir}.neededForBoot = true;
  fileSystems."/nix".neededForBoot = true;

  environment.persistence.${persistDir} = {
    hideMounts = true;
    directories = [
      { directory = dataDir; mode = "0750"; } # daemon data dir
      "/var/log" # all logs, incl. the journal and /var/log/dplaneos
      "/var/lib/docker" # Docker state
      "/var/lib/samba" # Samba state (passdb, tdbs)
      "/etc/systemd/network" # network configuration written at runtime
      "/var/lib/systemd" # timers, random seed, DHCP leases
      "/var/lib/nixos" # stable uid/gid allocation
    ];
    files = [ "/etc/machine-id" ];
  };

  # Host keys are generated straight into /persist: no bind mount needed
  # before sshd-keygen runs, and clients never see a changing host key.
  services.openssh.hostKeys = [
    { path = "${persistDir}/etc/ssh/ssh_host_ed25519_key"; type = "ed25519"; }
    { path = "${persistDir}/etc/ssh/ssh_host_rsa_key"; type = "rsa"; bits = 4096; }
  ];

  services.journald.extraConfig = "Storage=persistent";

  # /etc/shadow does not survive a reboot: accounts come from the config only.
  users.mutableUsers = mkDefault false;

  assertions = [{
    assertion = config.fileSystems."/".fsType == "tmpfs";
    message = "impermanence.nix: / must be a tmpfs (ephemeral root).";
  }];
}
