namespace DPlaneOS.Gateway.Audit;

public static class AuditTrailExtensions
{
    /// <summary>Place after UseAuthentication (it needs the caller) and before UseAuthorization (so 403s are recorded too).</summary>
    public static IApplicationBuilder UseAuditTrail(this IApplicationBuilder app) => app.UseMiddleware<AuditTrailMiddleware>();
}
