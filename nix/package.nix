# dplaned, built from the repository root with buildDotnetModule.
# nugetDeps: regenerate deps.json with `nix build ./nix#dplaned.fetch-deps && ./result deps.json`
# whenever package references change.
{ lib, buildDotnetModule, dotnetCorePackages, version ? "0.1.0" }:
buildDotnetModule {
  pname = "dplaned";
  inherit version;

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../src
      ../DPlaneOS.Actors.sln
      ../Directory.Build.props
      ../Directory.Packages.props
      ../global.json
      (lib.fileset.maybeMissing ../hocon)
    ];
  };

  projectFile = "src/Gateway/DPlaneOS.Gateway.csproj";
  nugetDeps =
    if builtins.pathExists ./deps.json then ./deps.json
    else throw "nix/deps.json is missing: run `nix build ./nix#dplaned.fetch-deps && ./result nix/deps.json`";
  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime = dotnetCorePackages.aspnetcore_10_0;
  dotnetBuildFlags = [ "-p:Version=${version}" ];
  executables = [ "dplaned" ];

  meta = {
    description = "DPlaneOS ZFS NAS supervisor daemon";
    mainProgram = "dplaned";
    platforms = lib.platforms.linux;
  };
}
