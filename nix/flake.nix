{
  description = "DPlaneOS appliance: dplaned, NixOS modules, A/B disk layout, signed OTA";

  # Every input is pinned to a commit (flake.lock additionally pins the narHash).
  inputs = {
    # nixos-25.05: kernel 6.6 LTS and zfs_2_2 (zfs_2_2 was removed before 25.11).
    nixpkgs.url = "github:NixOS/nixpkgs/ac62194c3917d5f474c1a844b6fd6da2db95077d";
    # nixos-25.11: only for the .NET 10 SDK/runtime that builds and runs dplaned.
    nixpkgs-dotnet.url = "github:NixOS/nixpkgs/8fd9daa3db09ced9700431c5b7ad0e8ba199b575";
    disko = {
      url = "github:nix-community/disko/de5708739256238fb912c62f03988815db89ec9a";
      inputs.nixpkgs.follows = "nixpkgs";
    };
    # Used as a plain source (nixos.nix), so it brings no inputs of its own.
    impermanence = {
      url = "github:nix-community/impermanence/7b1d382faf603b6d264f58627330f9faa5cba149";
      flake = false;
    };
  };

  outputs = { self, nixpkgs, nixpkgs-dotnet, disko, impermanence, ... }:
    let
      system = "x86_64-linux";
      version = "0.1.0";
      checks = import ./lib/checks.nix;
      dplaned = nixpkgs-dotnet.legacyPackages.${system}.callPackage ./package.nix { inherit version; };

      # One appliance configuration per system slot; the OTA bundle for slot
      # X is built from the slot-X configuration.
      mkAppliance =
        { slot ? "a"
        , disk          # /dev/disk/by-id/...
        , hostId        # 8 hex digits, unique per machine (ZFS)
        , sshKeys       # admin keys; an empty list is refused (lockout)
        , otaPublicKey  # PEM Ed25519 public key of the release signer
        , extraModules ? [ ]
        }:
        nixpkgs.lib.nixosSystem {
          inherit system;
          modules = [
            disko.nixosModules.disko
            "${impermanence}/nixos.nix"
            self.nixosModules.default
            ./disko.nix
            ./impermanence.nix
            ./appliance.nix
            {
              dplaneos = { inherit slot disk; };
              networking.hostId = hostId;
              services.dplaneos = {
                package = dplaned;
                inherit sshKeys;
                ota.publicKey = otaPublicKey;
              };
            }
          ] ++ extraModules;
        };

      # Example values only: replace them for a real device.
      example = {
        disk = "/dev/disk/by-id/nvme-EXAMPLE_SSD_SERIAL0001";
        hostId = "8425e349";
        sshKeys = [ "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceMeBeforeDeployingTheAppliance admin@example" ];
        otaPublicKey = ''
          -----BEGIN PUBLIC KEY-----
          MCowBQYDK2VwAyEAExampleOnlyReplaceWithTheReleaseSigningKey00=
          -----END PUBLIC KEY-----
        '';
      };
    in
    {
      packages.${system} = {
        inherit dplaned;
        default = dplaned;
      };

      overlays.default = _final: _prev: { inherit dplaned; };

      nixosModules = {
        dplaneos = ./module.nix;
        ota = ./ota-module.nix;
        disko = ./disko.nix;
        impermanence = ./impermanence.nix;
        appliance = ./appliance.nix;
        default = { imports = [ ./module.nix ./ota-module.nix ]; };
      };

      lib = { inherit mkAppliance checks; };

      nixosConfigurations = {
        dplaneos-example-a = mkAppliance (example // { slot = "a"; });
        dplaneos-example-b = mkAppliance (example // { slot = "b"; });
      };
    };
}
