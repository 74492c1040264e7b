namespace DPlaneOS.Actors.Fleet.Certificates;

/// <summary>
/// Fleet certificate material could not be made, read or written. The message is one line that says
/// which file and what to do, fit to print after <c>dplaned: </c>.
/// </summary>
public sealed class FleetCertificateException : Exception
{
    public FleetCertificateException(string message) : base(message) { }

    public FleetCertificateException(string message, Exception inner) : base(message, inner) { }
}
