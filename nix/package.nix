# dplaned, built from the repository root with buildDotnetModule.
# nugetDeps: deps.json, the NuGet lock in nixpkgs' nuget-to-json format. Regenerate it
# whenever a package reference or Directory.Packages.props changes, with either
#   nix/update-deps.sh                                    (dotnet + jq, no Nix needed)
#   nix build ./nix#dplaned.fetch-deps && ./result nix/deps.json
# Both restore for linux-x64 only (meta.platforms) and produce the same file.
# nix/tests/run.sh fails when deps.json no longer matches a fresh restore.
{ lib, buildDotnetModule, dotnetCorePackages, version ? "0.1.0" }:
buildDotnetModule {
  pname = "dplaned";
  inherit version;

  # Keep in step with the sources nix/update-deps.sh copies before restoring.
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
    else throw "nix/deps.json is missing: run nix/update-deps.sh";
  dotnet-sdk = dotnetCorePackages.sdk_10_0;
  dotnet-runtime = dotnetCorePackages.aspnetcore_10_0;
  dotnetBuildFlags = [ "-p:Version=${version}" ];
  executables = [ "dplaned" ];

  meta = {
    description = "DPlaneOS ZFS NAS supervisor daemon";
    mainProgram = "dplaned";
    # deps.json is generated for linux-x64; fetch-deps restores for these platforms.
    platforms = [ "x86_64-linux" ];
  };
}
