# Appliance base: version pins with eval-time assertions, boot loader,
# networking. Combined with module.nix, ota-module.nix, disko.nix and
# impermanence.nix by flake.nix (lib.mkAppliance).
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkDefault;
  checks = import ./lib/checks.nix;
  kernelVersion = config.boot.kernelPackages.kernel.version;
  zfsVersion = config.boot.zfs.package.version;
in
{
  # Pinned lines: kernel 6.6 LTS, OpenZFS 2.2. Exact major.minor, not lower bounds.
  boot.kernelPackages = pkgs.linuxPackages_6_6;
  boot.zfs.package = pkgs.zfs_2_2;

  assertions = [
    { assertion = checks.kernelOk kernelVersion; message = checks.kernelMessage kernelVersion; }
    { assertion = checks.zfsOk zfsVersion; message = checks.zfsMessage zfsVersion; }
  ];

  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  boot.zfs.forceImportRoot = false;
  boot.kernelParams = [ "zfs.zfs_arc_max=17179869184" ];

  networking.hostName = mkDefault "dplaneos";
  networking.useNetworkd = mkDefault true;
  networking.useDHCP = mkDefault true;

  services.dplaneos.enable = true;
  services.dplaneos.ota.enable = mkDefault true;
  services.zfs.autoScrub.enable = mkDefault true;

  nix.settings.auto-optimise-store = true;
  system.stateVersion = "25.05";
}
