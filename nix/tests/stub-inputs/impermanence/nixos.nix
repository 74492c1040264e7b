# Stand-in for impermanence's nixos.nix: accepts environment.persistence.
{ lib, ... }: { options.environment.persistence = lib.mkOption { type = lib.types.attrs; default = { }; }; }
