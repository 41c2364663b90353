using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Determinant.Harness.Distributed;

/// <summary>
/// Collectives over TCP between workers arranged in a ring: each worker sends to rank + 1 and receives from rank − 1 on
/// two long-lived connections, made after a rendezvous that exchanges the addresses the workers listen on.
/// </summary>
/// <remarks>
/// <see cref="AllReduceSum"/> is the bandwidth-optimal ring all-reduce: a reduce-scatter and an all-gather of
/// <see cref="Size"/> chunks each, so every worker sends and receives 2·(N − 1)/N of the buffer whatever N is. Sending
/// runs on a second thread while the received chunk is added segment by segment, so the network and the additions
/// overlap. Every message starts with a header (operation, sequence number, step, length), so workers that call
/// different collectives fail with a message saying so instead of reading garbage.
/// </remarks>
public sealed class TcpRingCollectives : ICollectives
{
    private const int HandshakeMagic = 0x44455452;
    private const int HeaderBytes = 24;
    private const int SegmentBytes = 1 << 20;
    private const int SocketBufferBytes = 4 << 20;

    /// <summary>Messages up to this size are sent without a second thread: far below what the socket buffers hold.</summary>
    private const int SmallBytes = 64 << 10;
    private readonly Socket? _next;
    private readonly Socket? _prev;
    private readonly TimeSpan _timeout;
    private readonly byte[] _scratch = new byte[SegmentBytes];
    private readonly byte[] _sendHeader = new byte[HeaderBytes];
    private readonly byte[] _receiveHeader = new byte[HeaderBytes];
    private readonly List<Socket> _readable = new(1);
    private readonly List<Socket> _writable = new(1);
    private long _sequence;

    /// <summary>
    /// Whether large transfers send on a second thread while this thread receives (the default, the faster way even on
    /// two shared cores, allreduce benchmark); otherwise one thread serves both directions on non-blocking sockets.
    /// </summary>
    private bool _duplexThreads = true;
    private bool _broken;

    private TcpRingCollectives(int rank, int size, Socket? next, Socket? prev, TimeSpan timeout)
    {
        Rank = rank;
        Size = size;
        _next = next;
        _prev = prev;
        _timeout = timeout;
    }

    private enum Operation
    {
        AllReduce = 1,
        Broadcast = 2,
        AllGather = 3,
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    private int NextRank => (Rank + 1) % Size;

    private int PrevRank => (Rank + Size - 1) % Size;

    /// <summary>
    /// Listens on <paramref name="address"/>, shares the endpoint with the other workers through
    /// <paramref name="allGather"/>, and connects the ring.
    /// </summary>
    /// <param name="rank">This worker's rank.</param>
    /// <param name="size">The number of workers; 1 makes a ring of one that needs no rendezvous.</param>
    /// <param name="address">The address this worker listens on, as the other workers reach it.</param>
    /// <param name="allGather">The rendezvous: takes this worker's endpoint, returns every worker's in rank order.</param>
    /// <param name="timeout">How long the rendezvous, the connections and later each wait for a peer may take.</param>
    /// <param name="cancellationToken">Abandons the connection.</param>
    /// <param name="sendOnSecondThread">
    /// Whether large transfers send on a second thread while this one receives (null: yes, the default); false serves both
    /// directions on one thread with non-blocking sockets, which leaves a core to the peers where cores are scarce.
    /// </param>
    /// <exception cref="CollectiveException">The rendezvous or a connection failed or timed out.</exception>
    public static async Task<TcpRingCollectives> ConnectAsync(
        int rank, int size, IPAddress address, Func<string, CancellationToken, Task<IReadOnlyList<string>>> allGather, TimeSpan timeout,
        CancellationToken cancellationToken, bool? sendOnSecondThread = null)
    {
        var ring = await ConnectRingAsync(rank, size, address, allGather, timeout, cancellationToken).ConfigureAwait(false);
        if (sendOnSecondThread is { } threads)
            ring._duplexThreads = threads;
        return ring;
    }

    private static async Task<TcpRingCollectives> ConnectRingAsync(
        int rank, int size, IPAddress address, Func<string, CancellationToken, Task<IReadOnlyList<string>>> allGather, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(allGather);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (rank < 0 || rank >= size)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must lie in [0, {size})");
        if (size == 1)
            return new TcpRingCollectives(rank, size, null, null, timeout);

        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(size);
        var endpoint = ((IPEndPoint)listener.LocalEndPoint!).ToString();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IReadOnlyList<string> peers;
        try
        {
            peers = await allGather(endpoint, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CollectiveException(Invariant($"rank {rank}: the rendezvous of {size} workers timed out after {timeout.TotalSeconds:0} s"));
        }

        if (peers.Count != size)
            throw new CollectiveException(Invariant($"rank {rank}: the rendezvous returned {peers.Count} endpoints for {size} workers"));
        if (!IPEndPoint.TryParse(peers[(rank + 1) % size], out var nextEndpoint))
            throw new CollectiveException(Invariant($"rank {rank}: rank {(rank + 1) % size} published '{peers[(rank + 1) % size]}', which is not an endpoint"));

        var accept = AcceptAsync(listener, rank, size, deadline.Token);
        var connect = ConnectNextAsync(nextEndpoint, rank, deadline.Token);
        try
        {
            await Task.WhenAll(accept, connect).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            DisposeQuietly(accept);
            DisposeQuietly(connect);
            var what = e is OperationCanceledException ? Invariant($"timed out after {timeout.TotalSeconds:0} s") : e.Message;
            throw new CollectiveException(Invariant($"rank {rank}: connecting the ring (to rank {(rank + 1) % size} at {nextEndpoint}, from rank {(rank + size - 1) % size}) failed: {what}"), e);
        }

        var next = Configure(await connect.ConfigureAwait(false), timeout);
        var prev = Configure(await accept.ConfigureAwait(false), timeout);
        return new TcpRingCollectives(rank, size, next, prev, timeout);
    }

    /// <inheritdoc/>
    public unsafe void AllReduceSum(Span<float> values)
    {
        if (Size == 1)
            return;
        if ((long)values.Length * sizeof(float) <= SmallBytes)
        {
            AllReduceSmall(values);
            return;
        }

        var sequence = Begin();
        var count = values.Length;
        fixed (float* pointer = values)
        {
            var start = (nint)pointer;
            long Offset(int chunk) => (long)count * chunk / Size;
            // Reduce-scatter: after N − 1 steps this worker holds the full sum of chunk (rank + 1) mod N.
            for (var step = 0; step < Size - 1; step++)
            {
                var send = Mod(Rank - step);
                var receive = Mod(Rank - step - 1);
                Exchange(Operation.AllReduce, sequence, step, start + (nint)(Offset(send) * sizeof(float)), (Offset(send + 1) - Offset(send)) * sizeof(float),
                    start + (nint)(Offset(receive) * sizeof(float)), (Offset(receive + 1) - Offset(receive)) * sizeof(float), add: true);
            }

            // All-gather: the summed chunks travel once around the ring.
            for (var step = 0; step < Size - 1; step++)
            {
                var send = Mod(Rank + 1 - step);
                var receive = Mod(Rank - step);
                Exchange(Operation.AllReduce, sequence, Size - 1 + step, start + (nint)(Offset(send) * sizeof(float)), (Offset(send + 1) - Offset(send)) * sizeof(float),
                    start + (nint)(Offset(receive) * sizeof(float)), (Offset(receive + 1) - Offset(receive)) * sizeof(float), add: false);
            }
        }
    }

    /// <summary>
    /// A small buffer is latency-bound: every worker gathers all buffers (N − 1 steps instead of the ring's 2·(N − 1))
    /// and adds them in rank order, so every worker computes the same sum bit for bit.
    /// </summary>
    private void AllReduceSmall(Span<float> values)
    {
        var all = Gather(Operation.AllReduce, MemoryMarshal.AsBytes(values));
        for (var rank = 0; rank < Size; rank++)
        {
            if (all[rank].Length != values.Length * sizeof(float))
                throw new CollectiveException(Invariant($"rank {Rank}: all-reduce #{_sequence} got {all[rank].Length} bytes from rank {rank} where {values.Length * sizeof(float)} were expected: the workers reduce buffers of different sizes"));
        }

        MemoryMarshal.Cast<byte, float>(all[0]).CopyTo(values);
        for (var rank = 1; rank < Size; rank++)
            AddInto(values, MemoryMarshal.Cast<byte, float>(all[rank]));
    }

    /// <inheritdoc/>
    public byte[] Broadcast(ReadOnlySpan<byte> data, int root)
    {
        if (root < 0 || root >= Size)
            throw new ArgumentOutOfRangeException(nameof(root), root, Invariant($"root must lie in [0, {Size})"));
        if (Size == 1)
            return data.ToArray();
        var sequence = Begin();
        if (Rank == root)
        {
            var bytes = data.ToArray();
            Guard(Operation.Broadcast, sequence, NextRank, () => SendMessage(Operation.Broadcast, sequence, 0, bytes));
            return bytes;
        }

        var received = Guard(Operation.Broadcast, sequence, PrevRank, () => ReceiveMessage(Operation.Broadcast, sequence, 0));
        if (NextRank != root)
            Guard(Operation.Broadcast, sequence, NextRank, () => SendMessage(Operation.Broadcast, sequence, 0, received));
        return received;
    }

    /// <inheritdoc/>
    public IReadOnlyList<byte[]> AllGather(ReadOnlySpan<byte> data) => Gather(Operation.AllGather, data);

    private byte[][] Gather(Operation operation, ReadOnlySpan<byte> data)
    {
        var results = new byte[Size][];
        results[Rank] = data.ToArray();
        if (Size == 1)
            return results;
        var sequence = Begin();
        for (var step = 0; step < Size - 1; step++)
        {
            var outgoing = results[Mod(Rank - step)];
            var current = step;
            if (outgoing.Length <= SmallBytes)
            {
                // Fits the socket buffers: sent at once, without a thread switch, before the receive.
                Guard(operation, sequence, NextRank, () => SendMessage(operation, sequence, current, outgoing));
                results[Mod(Rank - step - 1)] = Guard(operation, sequence, PrevRank, () => ReceiveMessage(operation, sequence, current));
                continue;
            }

            var sending = Task.Run(() => Guard(operation, sequence, NextRank, () => SendMessage(operation, sequence, current, outgoing)));
            try
            {
                results[Mod(Rank - step - 1)] = Guard(operation, sequence, PrevRank, () => ReceiveMessage(operation, sequence, current));
            }
            catch
            {
                Abort(sending);
                throw;
            }

            sending.GetAwaiter().GetResult();
        }

        return results;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _next?.Dispose();
        _prev?.Dispose();
    }

    private long Begin()
    {
        if (_broken)
            throw new CollectiveException(Invariant($"rank {Rank}: an earlier collective failed; the ring is closed"));
        return ++_sequence;
    }

    private int Mod(int value) => ((value % Size) + Size) % Size;

    /// <summary>The exchange with the send on a second thread, so both directions run at once.</summary>
    private unsafe void ExchangeThreaded(Operation operation, long sequence, int step, nint send, long sendBytes, nint receive, long receiveBytes, bool add)
    {
        var sending = Task.Run(() => Guard(operation, sequence, NextRank,
            () => SendMessage(operation, sequence, step, new ReadOnlySpan<byte>((void*)send, checked((int)sendBytes)))));
        try
        {
            Guard(operation, sequence, PrevRank, () =>
            {
                var length = ReceiveHeader(operation, sequence, step);
                if (length != receiveBytes)
                    throw Mismatch(operation, sequence, Invariant($"{length} bytes where {receiveBytes} were expected: the workers reduce buffers of different sizes"));
                for (long offset = 0; offset < receiveBytes; offset += SegmentBytes)
                {
                    var segment = (int)Math.Min(SegmentBytes, receiveBytes - offset);
                    if (add)
                    {
                        var buffer = _scratch.AsSpan(0, segment);
                        ReceiveExactly(buffer);
                        AddInto(new Span<float>((void*)(receive + (nint)offset), segment / sizeof(float)), MemoryMarshal.Cast<byte, float>(buffer));
                    }
                    else
                    {
                        ReceiveExactly(new Span<byte>((void*)(receive + (nint)offset), segment));
                    }
                }
            });
        }
        catch
        {
            // The sender reads pinned memory: it must be done before the caller's buffer is unpinned.
            Abort(sending);
            throw;
        }

        sending.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sends one chunk to the next worker while receiving one from the previous, on this thread: both sockets are
    /// non-blocking and served in turn as they are ready, so neither direction waits for the other and no second thread
    /// competes for the cores. A received chunk is added (reduce-scatter) or stored (all-gather) segment by segment.
    /// </summary>
    private unsafe void Exchange(Operation operation, long sequence, int step, nint send, long sendBytes, nint receive, long receiveBytes, bool add)
    {
        if (_duplexThreads)
        {
            ExchangeThreaded(operation, sequence, step, send, sendBytes, receive, receiveBytes, add);
            return;
        }

        // The header is tiny: it goes at once, ahead of the payload, while the socket still blocks.
        Guard(operation, sequence, NextRank, () => WriteHeader(operation, sequence, step, sendBytes));
        var outgoing = (byte*)send;
        var incoming = (byte*)receive;
        long sent = 0;
        long added = 0;
        var scratchFill = 0;
        var headerRead = 0;
        var peer = PrevRank;
        var lastProgress = Stopwatch.GetTimestamp();
        _next!.Blocking = false;
        _prev!.Blocking = false;
        try
        {
            while (sent < sendBytes || headerRead < HeaderBytes || added < receiveBytes)
            {
                var progress = false;
                if (sent < sendBytes)
                {
                    var n = _next.Send(new ReadOnlySpan<byte>(outgoing + sent, (int)Math.Min(sendBytes - sent, int.MaxValue)), SocketFlags.None, out var error);
                    if (error == SocketError.Success)
                    {
                        sent += n;
                        progress |= n > 0;
                    }
                    else if (error != SocketError.WouldBlock)
                    {
                        peer = NextRank;
                        throw new SocketException((int)error);
                    }
                }

                if (headerRead < HeaderBytes)
                {
                    var n = ReceiveSome(_receiveHeader.AsSpan(headerRead));
                    headerRead += n;
                    progress |= n > 0;
                    if (headerRead == HeaderBytes)
                    {
                        var length = CheckHeader(operation, sequence, step);
                        if (length != receiveBytes)
                            throw Mismatch(operation, sequence, Invariant($"{length} bytes where {receiveBytes} were expected: the workers reduce buffers of different sizes"));
                    }
                }
                else if (added < receiveBytes)
                {
                    var segment = (int)Math.Min(SegmentBytes, receiveBytes - added);
                    if (add)
                    {
                        var n = ReceiveSome(_scratch.AsSpan(scratchFill, segment - scratchFill));
                        scratchFill += n;
                        progress |= n > 0;
                        if (scratchFill == segment)
                        {
                            AddInto(new Span<float>(incoming + added, segment / sizeof(float)), MemoryMarshal.Cast<byte, float>(_scratch.AsSpan(0, segment)));
                            added += segment;
                            scratchFill = 0;
                        }
                    }
                    else
                    {
                        var n = ReceiveSome(new Span<byte>(incoming + added, (int)Math.Min(receiveBytes - added, int.MaxValue)));
                        added += n;
                        progress |= n > 0;
                    }
                }

                if (progress)
                {
                    lastProgress = Stopwatch.GetTimestamp();
                    continue;
                }

                if (Stopwatch.GetElapsedTime(lastProgress) > _timeout)
                {
                    peer = headerRead < HeaderBytes || added < receiveBytes ? PrevRank : NextRank;
                    throw new SocketException((int)SocketError.TimedOut);
                }

                WaitReady(sent < sendBytes, headerRead < HeaderBytes || added < receiveBytes);
            }
        }
        catch (Exception e) when (e is SocketException or EndOfStreamException or ObjectDisposedException or IOException)
        {
            _broken = true;
            if (e is SocketException { SocketErrorCode: SocketError.TimedOut })
                throw new CollectiveException(Invariant($"rank {Rank}: {Name(operation)} #{sequence} timed out after {_timeout.TotalSeconds:0} s waiting for rank {peer}"), e);
            throw new CollectiveException(Invariant($"rank {Rank}: {Name(operation)} #{sequence} lost rank {peer}: {e.Message}"), e);
        }
        catch (CollectiveException)
        {
            _broken = true;
            throw;
        }
        finally
        {
            if (!_broken)
            {
                _next.Blocking = true;
                _prev.Blocking = true;
            }
        }
    }

    /// <summary>What the previous worker has sent so far, up to <paramref name="buffer"/>'s length; 0 when nothing is there yet.</summary>
    private int ReceiveSome(Span<byte> buffer)
    {
        var n = _prev!.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
            return 0;
        if (error != SocketError.Success)
            throw new SocketException((int)error);
        return n > 0 ? n : throw new EndOfStreamException("the connection was closed (the worker exited or failed)");
    }

    /// <summary>Waits, at most a second, until a socket that has work can make progress.</summary>
    private void WaitReady(bool sending, bool receiving)
    {
        _readable.Clear();
        _writable.Clear();
        if (receiving)
            _readable.Add(_prev!);
        if (sending)
            _writable.Add(_next!);
        Socket.Select(receiving ? _readable : null, sending ? _writable : null, null, 1_000_000);
    }

    private static void AddInto(Span<float> target, ReadOnlySpan<float> source)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(target);
        var sources = MemoryMarshal.Cast<float, Vector<float>>(source);
        for (var i = 0; i < vectors.Length; i++)
            vectors[i] += sources[i];
        for (var i = vectors.Length * Vector<float>.Count; i < target.Length; i++)
            target[i] += source[i];
    }

    private void SendMessage(Operation operation, long sequence, int step, ReadOnlySpan<byte> payload)
    {
        WriteHeader(operation, sequence, step, payload.Length);
        SendAll(payload);
    }

    private void WriteHeader(Operation operation, long sequence, int step, long length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_sendHeader, (int)operation);
        BinaryPrimitives.WriteInt32LittleEndian(_sendHeader.AsSpan(4), step);
        BinaryPrimitives.WriteInt64LittleEndian(_sendHeader.AsSpan(8), sequence);
        BinaryPrimitives.WriteInt64LittleEndian(_sendHeader.AsSpan(16), length);
        SendAll(_sendHeader);
    }

    private void SendAll(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
            bytes = bytes[_next!.Send(bytes)..];
    }

    private byte[] ReceiveMessage(Operation operation, long sequence, int step)
    {
        var length = ReceiveHeader(operation, sequence, step);
        if (length is < 0 or > int.MaxValue)
            throw Mismatch(operation, sequence, Invariant($"a message of {length} bytes"));
        var payload = new byte[length];
        ReceiveExactly(payload);
        return payload;
    }

    private long ReceiveHeader(Operation operation, long sequence, int step)
    {
        ReceiveExactly(_receiveHeader);
        return CheckHeader(operation, sequence, step);
    }

    private long CheckHeader(Operation operation, long sequence, int step)
    {
        var gotOperation = (Operation)BinaryPrimitives.ReadInt32LittleEndian(_receiveHeader);
        var gotStep = BinaryPrimitives.ReadInt32LittleEndian(_receiveHeader.AsSpan(4));
        var gotSequence = BinaryPrimitives.ReadInt64LittleEndian(_receiveHeader.AsSpan(8));
        if (gotOperation != operation || gotSequence != sequence || gotStep != step)
        {
            throw Mismatch(operation, sequence, Invariant($"{Name(gotOperation)} #{gotSequence} (step {gotStep}) where step {step} was expected: ")
                + "the workers do not call the same collectives in the same order");
        }

        return BinaryPrimitives.ReadInt64LittleEndian(_receiveHeader.AsSpan(16));
    }

    private void ReceiveExactly(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = _prev!.Receive(buffer);
            if (read == 0)
                throw new EndOfStreamException("the connection was closed (the worker exited or failed)");
            buffer = buffer[read..];
        }
    }

    private CollectiveException Mismatch(Operation operation, long sequence, string what) =>
        new(Invariant($"rank {Rank}: {Name(operation)} #{sequence} received from rank {PrevRank} {what}"));

    private void Guard(Operation operation, long sequence, int peer, Action action) => Guard(operation, sequence, peer, () =>
    {
        action();
        return 0;
    });

    private T Guard<T>(Operation operation, long sequence, int peer, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CollectiveException)
        {
            _broken = true;
            throw;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            _broken = true;
            throw new CollectiveException(Invariant($"rank {Rank}: {Name(operation)} #{sequence} timed out after {_timeout.TotalSeconds:0} s waiting for rank {peer}"), e);
        }
        catch (Exception e) when (e is SocketException or EndOfStreamException or ObjectDisposedException or IOException)
        {
            _broken = true;
            throw new CollectiveException(Invariant($"rank {Rank}: {Name(operation)} #{sequence} lost rank {peer}: {e.Message}"), e);
        }
    }

    private void Abort(Task sending)
    {
        _broken = true;
        _next?.Dispose();
        _prev?.Dispose();
        try
        {
            sending.Wait();
        }
        catch (AggregateException)
        {
            // The send failed because its socket was closed, or failed first; the receive's error is the one reported.
        }
    }

    private static string Name(Operation operation) => operation switch
    {
        Operation.AllReduce => "all-reduce",
        Operation.Broadcast => "broadcast",
        Operation.AllGather => "all-gather",
        _ => Invariant($"operation {(int)operation}"),
    };

    private static Socket Configure(Socket socket, TimeSpan timeout)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = SocketBufferBytes;
        socket.ReceiveBufferSize = SocketBufferBytes;
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        socket.SendTimeout = milliseconds;
        socket.ReceiveTimeout = milliseconds;
        return socket;
    }

    private static async Task<Socket> AcceptAsync(Socket listener, int rank, int size, CancellationToken cancellationToken)
    {
        var expected = (rank + size - 1) % size;
        while (true)
        {
            var socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            var handshake = new byte[8];
            var read = 0;
            while (read < handshake.Length)
            {
                var got = await socket.ReceiveAsync(handshake.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (got == 0)
                    break;
                read += got;
            }

            if (read == handshake.Length && BinaryPrimitives.ReadInt32LittleEndian(handshake) == HandshakeMagic
                && BinaryPrimitives.ReadInt32LittleEndian(handshake.AsSpan(4)) == expected)
                return socket;
            // Not our ring neighbour (a stray connection): keep listening.
            socket.Dispose();
        }
    }

    private static async Task<Socket> ConnectNextAsync(IPEndPoint endpoint, int rank, CancellationToken cancellationToken)
    {
        while (true)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                var handshake = new byte[8];
                BinaryPrimitives.WriteInt32LittleEndian(handshake, HandshakeMagic);
                BinaryPrimitives.WriteInt32LittleEndian(handshake.AsSpan(4), rank);
                await socket.SendAsync(handshake, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TryAgain)
            {
                socket.Dispose();
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private static void DisposeQuietly(Task<Socket> task)
    {
        _ = task.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
                t.Result.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
