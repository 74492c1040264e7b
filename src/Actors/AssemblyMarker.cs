namespace DPlaneOS.Actors;

internal static class AssemblyMarker;
