# Boot disk layout: GPT with ESP, two 8G system slots (each holds a /nix
# store, see ota-update.sh) and /persist on the rest. "/" is a tmpfs
# (impermanence.nix). Each slot's configuration mounts its *own* partition at
# /nix, selected by dplaneos.slot, so a slot-b closure never mounts slot a.
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  cfg = config.dplaneos;
  checks = import ./lib/checks.nix;

  slotPartition = slot: priority: {
    inherit priority;
    size = "8G";
    label = "system-${slot}"; # GPT PARTLABEL -> /dev/disk/by-partlabel/system-${slot}
    content = {
      type = "filesystem";
      format = "ext4";
      extraArgs = [ "-L" "system-${slot}" ];
      mountpoint = if cfg.slot == slot then "/nix" else null;
      mountOptions = [ "noatime" ];
    };
  };
in
{
  options.dplaneos = {
    disk = mkOption {
      type = types.str;
      example = "/dev/disk/by-id/nvme-Samsung_SSD_980_1TB_S64ANS0T123456";
      description = "The boot disk, as a stable /dev/disk/by-id/ path (never /dev/sdX or /dev/nvmeXnY).";
    };
    slot = mkOption {
      type = types.enum [ "a" "b" ];
      default = "a";
      description = "Which system slot this configuration is built for (mounted at /nix).";
    };
  };

  config = {
    assertions = [{
      assertion = checks.isByIdPath cfg.disk;
      message = "dplaneos.disk must be a /dev/disk/by-id/ path (got '${cfg.disk}').";
    }];

    boot.kernelParams = [ "dplaneos.slot=${cfg.slot}" ];

    disko.devices.disk.os = {
      type = "disk";
      device = cfg.disk;
      content = {
        type = "gpt";
        partitions = {
          ESP = {
            priority = 1;
            size = "512M";
            type = "EF00";
            label = "ESP";
            content = {
              type = "filesystem";
              format = "vfat";
              mountpoint = "/boot";
              mountOptions = [ "umask=0077" ];
            };
          };
          system-a = slotPartition "a" 2;
          system-b = slotPartition "b" 3;
          persist = {
            priority = 4;
            size = "100%";
            label = "persist";
            content = {
              type = "filesystem";
              format = "ext4";
              extraArgs = [ "-L" "persist" ];
              mountpoint = "/persist";
              mountOptions = [ "noatime" ];
            };
          };
        };
      };
    };
  };
}
