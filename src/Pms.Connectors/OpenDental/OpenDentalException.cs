namespace Pms.Connectors.OpenDental;

/// <summary>
/// Open Dental refused a request for good (401/403: keys; 400/404) or kept failing (429, 5xx) after every attempt. The
/// message names the resource and status, never the keys, a query value or the response body (which can hold PHI).
/// </summary>
public sealed class OpenDentalException(string message, int? status = null) : Exception(message)
{
    public int? Status { get; } = status;

    public bool IsAuthentication => Status is 401 or 403;
}
