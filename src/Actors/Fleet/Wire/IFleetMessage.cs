namespace DPlaneOS.Actors.Fleet.Wire;

/// <summary>
/// A message that crosses nodes (or sits in replicated data). Each has a stable, versioned name
/// (<see cref="FleetMessageAttribute"/>) and is written by <see cref="FleetWireSerializer"/>; nothing else
/// may cross, so no node reads a type name from the wire.
/// </summary>
public interface IFleetMessage;
