# Stand-in for disko.nixosModules.disko: accepts disko.devices (free-form).
{ lib, ... }: { options.disko.devices = lib.mkOption { type = lib.types.attrs; default = { }; }; }
