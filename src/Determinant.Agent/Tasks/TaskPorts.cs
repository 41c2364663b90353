using System.Net;
using System.Net.Sockets;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>
/// The ports this agent picked for its live allocations (a notebook's, a TensorBoard's): a free TCP port on loopback,
/// found by binding <c>127.0.0.1:0</c>, and never one another live allocation holds.
/// </summary>
internal sealed class TaskPorts
{
    /// <summary>How many times the kernel may hand out a port already held before the pick gives up.</summary>
    private const int Attempts = 64;

    private readonly Lock _gate = new();
    private readonly HashSet<int> _held = [];

    /// <summary>The address the task binds its ports on, passed as <c>DET_TASK_HOST</c>.</summary>
    public static string Host => IPAddress.Loopback.ToString();

    /// <summary>The ports held now (for tests and logs).</summary>
    public IReadOnlyCollection<int> Held
    {
        get
        {
            lock (_gate)
                return [.. _held];
        }
    }

    /// <summary>Picks a port for each of <paramref name="ports"/>, by name, and holds them until <see cref="Release"/>.</summary>
    /// <exception cref="ArgumentException">Two ports share a name or a variable.</exception>
    /// <exception cref="SocketException">No free port could be found.</exception>
    public IReadOnlyDictionary<string, int> Reserve(IReadOnlyList<TaskPort>? ports)
    {
        var chosen = new Dictionary<string, int>(StringComparer.Ordinal);
        if (ports is null || ports.Count == 0)
            return chosen;
        if (ports.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != ports.Count
            || ports.Select(p => p.EnvVar).Distinct(StringComparer.Ordinal).Count() != ports.Count)
            throw new ArgumentException("the launch's ports must have distinct names and variables");
        lock (_gate)
        {
            try
            {
                foreach (var port in ports)
                {
                    var number = Pick();
                    _held.Add(number);
                    chosen[port.Name] = number;
                }
            }
            catch (SocketException)
            {
                _held.ExceptWith(chosen.Values);
                throw;
            }
        }
        return chosen;
    }

    public void Release(IEnumerable<int> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        lock (_gate)
            _held.ExceptWith(ports);
    }

    private int Pick()
    {
        for (var i = 0; i < Attempts; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (!_held.Contains(port))
                return port;
        }
        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }
}
