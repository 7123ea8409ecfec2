using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.DevStack;

/// <summary>
/// A sample dental office's Open Dental API on loopback for the demo (fictional patients), in the documented shapes:
/// the <c>ODFHIR dev/cust</c> header, <c>Limit</c>/<c>Offset</c> pages, <c>appointments</c> with <c>serverDateTime</c>,
/// <c>recalls</c>, <c>recalltypes</c> and <c>patients/{PatNum}</c>. Not a test double of the connector: the connector
/// tests use their own fake with paging, filters and faults.
/// </summary>
internal sealed class SampleOpenDentalOffice : IDisposable
{
    public const string DeveloperKey = "demoDeveloperKey";
    public const string CustomerKey = "demoCustomerKey";

    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, JsonNode> _resources;
    private readonly Task _serving;

    public SampleOpenDentalOffice(Dictionary<string, JsonNode> resources)
    {
        _resources = resources;
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/api/v1/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public static string Stamp(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            if (context.Request.Headers["Authorization"] != $"ODFHIR {DeveloperKey}/{CustomerKey}")
            {
                response.StatusCode = 401;
                continue;
            }

            var resource = context.Request.Url!.AbsolutePath[BaseUrl.AbsolutePath.Length..];
            var offset = int.TryParse(context.Request.QueryString["Offset"], out var o) ? o : 0;
            JsonNode? answer = _resources.TryGetValue(resource, out var found) ? found : null;
            if (answer is JsonArray list)
            {
                answer = new JsonArray([.. list.Skip(offset).Take(100).Select(item => item!.DeepClone())]);
            }

            if (answer is null)
            {
                response.StatusCode = 404;
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
