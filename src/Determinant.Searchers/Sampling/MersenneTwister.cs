using System.Buffers.Binary;

namespace Determinant.Searchers.Sampling;

/// <summary>
/// MT19937 with the draws of NumPy's legacy <c>RandomState</c> (REFERENCE.md §3.2), so that a seed reproduces the
/// trials Determined would have created. The whole state is 624 words plus a position, and can be saved and restored.
/// </summary>
internal sealed class MersenneTwister
{
    public const int StateWords = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _key = new uint[StateWords];
    private int _position;

    public MersenneTwister(uint seed)
    {
        _key[0] = seed;
        for (var i = 1; i < StateWords; i++)
            _key[i] = unchecked((1812433253u * (_key[i - 1] ^ (_key[i - 1] >> 30))) + (uint)i);
        _position = StateWords;
    }

    private MersenneTwister(ReadOnlySpan<uint> key, int position)
    {
        key.CopyTo(_key);
        _position = position;
    }

    /// <summary>Index of the next word to temper; 624 means the block is used up and the next draw twists.</summary>
    public int Position => _position;

    /// <summary>Restores a generator from <see cref="WriteState"/>'s bytes and a position.</summary>
    public static MersenneTwister FromState(ReadOnlySpan<byte> keyBytes, int position)
    {
        if (keyBytes.Length != StateWords * 4 || position is < 0 or > StateWords)
            throw new FormatException($"an MT19937 state is {StateWords} words and a position in 0..{StateWords}");
        var key = new uint[StateWords];
        for (var i = 0; i < StateWords; i++)
            key[i] = BinaryPrimitives.ReadUInt32LittleEndian(keyBytes.Slice(i * 4, 4));
        return new MersenneTwister(key, position);
    }

    /// <summary>Writes the 624 state words, little-endian, into <paramref name="destination"/> (2496 bytes).</summary>
    public void WriteState(Span<byte> destination)
    {
        for (var i = 0; i < StateWords; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(i * 4, 4), _key[i]);
    }

    /// <summary>The next tempered 32-bit word (NumPy's <c>rk_random</c>).</summary>
    public uint NextUInt32()
    {
        if (_position >= StateWords)
            Twist();
        var y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) with 53 random bits: two draws, the first giving the high 27 bits.</summary>
    public double NextUnitInterval()
    {
        var a = NextUInt32() >> 5;
        var b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    /// <summary><c>lo + (hi − lo)·u</c>, a double in [lo, hi).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hi"/> is not above <paramref name="lo"/>.</exception>
    public double Uniform(double lo, double hi)
    {
        if (!(hi > lo))
            throw new ArgumentOutOfRangeException(nameof(hi), hi, $"Uniform needs hi > lo (lo = {lo})");
        return lo + ((hi - lo) * NextUnitInterval());
    }

    /// <summary>A uniform integer in [0, n) by masked rejection, as NumPy's legacy <c>randint</c> draws it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is zero.</exception>
    public ulong NextBelow(ulong n)
    {
        if (n == 0)
            throw new ArgumentOutOfRangeException(nameof(n), "Intn needs n >= 1");
        var limit = n - 1;
        if (limit == 0)
            return 0;
        var mask = limit;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        ulong value;
        if (limit <= uint.MaxValue)
        {
            do
                value = NextUInt32() & mask;
            while (value > limit);
        }
        else
        {
            do
            {
                // High word first, then low word (NumPy's rk_ulong).
                var hi = (ulong)NextUInt32() << 32;
                value = (hi | NextUInt32()) & mask;
            }
            while (value > limit);
        }
        return value;
    }

    private void Twist()
    {
        var key = _key;
        int i;
        for (i = 0; i < StateWords - Shift; i++)
        {
            var y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + Shift] ^ (y >> 1) ^ ((y & 1) * MatrixA);
        }
        for (; i < StateWords - 1; i++)
        {
            var y = (key[i] & UpperMask) | (key[i + 1] & LowerMask);
            key[i] = key[i + Shift - StateWords] ^ (y >> 1) ^ ((y & 1) * MatrixA);
        }
        var last = (key[StateWords - 1] & UpperMask) | (key[0] & LowerMask);
        key[StateWords - 1] = key[Shift - 1] ^ (last >> 1) ^ ((last & 1) * MatrixA);
        _position = 0;
    }
}
