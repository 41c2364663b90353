using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Distributed;

/// <summary>
/// The rendezvous through the master: <c>POST /api/v1/allocations/{id}/all_gather</c> long-polls until every worker of
/// the allocation has posted its endpoint. An unfinished poll (408) and transient failures are asked again until the
/// caller's token ends.
/// </summary>
internal sealed class MasterRendezvous(HttpClient http, string allocationId, int rank, int size)
{
    private const int PollSeconds = 30;

    public async Task<IReadOnlyList<string>> AllGatherAsync(string data, CancellationToken cancellationToken)
    {
        var route = string.Create(CultureInfo.InvariantCulture, $"api/v1/allocations/{Uri.EscapeDataString(allocationId)}/all_gather?timeout_seconds={PollSeconds}");
        var request = new AllGatherRequest(rank, size, data);
        while (true)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(route, request, CoreApiJsonContext.Default.AllGatherRequest, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    var answer = await response.Content.ReadFromJsonAsync(CoreApiJsonContext.Default.AllGatherResponse, cancellationToken).ConfigureAwait(false);
                    return answer?.Data ?? throw new CollectiveException($"rank {rank}: the master answered the rendezvous with no data");
                }

                if (response.StatusCode is not (HttpStatusCode.RequestTimeout or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout))
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    throw new CollectiveException($"rank {rank}: the master refused the rendezvous ({(int)response.StatusCode}): {body}");
                }
            }
            catch (HttpRequestException)
            {
                // The master is away (restarting): ask again below.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's own timeout: ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The address of this machine on the route to the master (loopback when the master is local).</summary>
    public static IPAddress LocalAddressToward(string? masterHost)
    {
        if (Environment.GetEnvironmentVariable("DET_WORKER_IP") is { Length: > 0 } configured && IPAddress.TryParse(configured, out var address))
            return address;
        if (string.IsNullOrEmpty(masterHost))
            return IPAddress.Loopback;
        try
        {
            var target = IPAddress.TryParse(masterHost, out var ip) ? ip : Dns.GetHostAddresses(masterHost).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (IPAddress.IsLoopback(target))
                return IPAddress.Loopback;
            // Connecting a UDP socket sends nothing; it only picks the local address the route to the master uses.
            using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(target, 9);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            return IPAddress.Loopback;
        }
    }
}
