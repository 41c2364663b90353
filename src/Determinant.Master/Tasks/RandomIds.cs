using System.Security.Cryptography;

namespace Determinant.Master.Tasks;

/// <summary>
/// The random part of task (and so allocation) ids: a UUIDv4 from the operating system's cryptographic generator, on
/// purpose not from the experiment's seeded RNG, which anyone who knows the seed can replay.
/// </summary>
internal static class RandomIds
{
    public static Guid NewUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
