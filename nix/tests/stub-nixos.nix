# Declares the handful of upstream NixOS options the DPlaneOS modules read,
# with the same defaults as NixOS, so the modules can be evaluated by
# eval-modules.nix without nixpkgs.
{ lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  opt = default: mkOption { type = types.anything; inherit default; };
in
{
  options = {
    boot.zfs.package = opt pkgs.zfs;
    boot.kernelPackages = opt pkgs.linuxPackages_6_6;
    virtualisation.docker.package = opt pkgs.docker;
    services.samba.package = opt pkgs.samba;
    services.openssh = {
      enable = opt false;
      settings = {
        PasswordAuthentication = opt true;
        KbdInteractiveAuthentication = opt true;
        PermitRootLogin = opt "prohibit-password";
        AllowUsers = opt null;
      };
    };
    networking.hostId = opt null;
  };
}
