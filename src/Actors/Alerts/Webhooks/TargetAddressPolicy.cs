using System.Net;
using System.Net.Sockets;

namespace DPlaneOS.Actors.Alerts.Webhooks;

/// <summary>
/// Addresses a webhook may never connect to, checked on the resolved address at connect time (so a
/// DNS name cannot smuggle one in): unspecified, multicast, broadcast, and unless allowed,
/// link-local (169.254.0.0/16 holds cloud metadata services; fe80::/10).
/// </summary>
public static class TargetAddressPolicy
{
    /// <summary>Null when <paramref name="address"/> is allowed, else why not.</summary>
    public static string? Refusal(IPAddress address, bool allowLinkLocal)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return $"target address {address} is unspecified";
        if (address.Equals(IPAddress.Broadcast)) return $"target address {address} is broadcast";
        if (address.IsIPv6Multicast || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224 and <= 239))
            return $"target address {address} is multicast";
        var linkLocal = address.IsIPv6LinkLocal
            || (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, _, _]);
        if (linkLocal && !allowLinkLocal)
            return $"target address {address} is link-local (metadata services live there); set DPlaneOS:AlertDelivery:Webhooks:AllowLinkLocalTargets to allow it";
        return null;
    }
}
