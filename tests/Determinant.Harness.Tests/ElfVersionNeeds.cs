using System.Buffers.Binary;
using System.Text;

namespace Determinant.Harness.Tests;

/// <summary>Reads the version requirements (SHT_GNU_verneed) of a little-endian ELF64 file.</summary>
/// <remarks>
/// Written apart from the build's patcher, and finding the section by type rather than by name, so that the
/// tests do not share the patcher's mistakes.
/// </remarks>
internal static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;

    public static IReadOnlyList<ElfVersionRequirement> Read(string path)
    {
        var image = File.ReadAllBytes(path);
        if (image.Length < 64 || !image.AsSpan(0, 4).SequenceEqual("\u007fELF"u8) || image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a little-endian ELF64 file.");
        }

        var sectionTable = checked((int)U64(image, 0x28));
        int entrySize = U16(image, 0x3a);
        int count = U16(image, 0x3c);
        var requirements = new List<ElfVersionRequirement>();
        for (var i = 0; i < count; i++)
        {
            var header = sectionTable + (i * entrySize);
            if (U32(image, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var strings = SectionOffset(image, sectionTable + ((int)U32(image, header + 40) * entrySize));
            var need = SectionOffset(image, header);
            for (var n = 0; n < (int)U32(image, header + 44); n++)
            {
                var file = Name(image, strings, U32(image, need + 4));
                var aux = need + (int)U32(image, need + 8);
                for (var a = 0; a < U16(image, need + 2); a++)
                {
                    requirements.Add(new ElfVersionRequirement(file, Name(image, strings, U32(image, aux + 8)), U16(image, aux + 4), aux + 4));
                    aux += (int)U32(image, aux + 12);
                }

                need += (int)U32(image, need + 12);
            }
        }

        return requirements;
    }

    private static int SectionOffset(byte[] image, int header) => checked((int)U64(image, header + 24));

    private static string Name(byte[] image, int strings, uint offset)
    {
        var start = strings + (int)offset;
        return Encoding.ASCII.GetString(image, start, Array.IndexOf(image, (byte)0, start) - start);
    }

    private static ushort U16(byte[] image, int at) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(at));

    private static uint U32(byte[] image, int at) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(at));

    private static ulong U64(byte[] image, int at) => BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(at));
}
