using DPlaneOS.Actors.Fleet.Wire;

namespace DPlaneOS.Actors.Fleet.Bus;

/// <summary>One node's own <see cref="MonitorEvent"/> on its way to the other nodes (<see cref="FleetBridge.Topic"/>).</summary>
[FleetMessage("fleet.monitor-event.v1")]
public sealed record FleetMonitorEvent(MonitorEvent Event) : IFleetMessage;
