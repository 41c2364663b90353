// Compiled at build time by RoslynCodeTaskFactory (see TorchSharpNativeFix.targets); no project compiles it.
// It targets the reference assemblies MSBuild hands that factory (netstandard), so it keeps to APIs found there.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Copies an ELF64 shared library and, in the copy, marks one version requirement weak: the Vernaux entry
/// of <c>.gnu.version_r</c> whose name is <see cref="VersionName"/> gets <c>vna_flags |= VER_FLG_WEAK</c>.
/// </summary>
/// <remarks>
/// ld.so refuses to load a library that needs a symbol version its dependency lacks, unless that requirement
/// is weak; then it only warns under LD_DEBUG. That is safe only where no symbol bound to that version is
/// ever resolved, which is for the caller to know. A library without the requirement is copied unchanged; a
/// file that is not a well-formed ELF64 image fails the task.
/// </remarks>
public sealed class WeakenElfVersionNeed : Task
{
    private const ushort VerFlgWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;

    private byte[] _image = new byte[0];
    private bool _bigEndian;

    /// <summary>The library to read; it is never written.</summary>
    [Required]
    public string SourceFile { get; set; } = "";

    /// <summary>Where the (possibly) patched copy goes.</summary>
    [Required]
    public string DestinationFile { get; set; } = "";

    /// <summary>The version name to make weak, such as GLIBCXX_3.4.32.</summary>
    [Required]
    public string VersionName { get; set; } = "";

    /// <summary>True when the copy differs from the source.</summary>
    [Output]
    public bool Patched { get; set; }

    public override bool Execute()
    {
        List<int> flagOffsets;
        try
        {
            _image = File.ReadAllBytes(SourceFile);
            flagOffsets = FindVernauxFlags();
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            Log.LogError("Cannot mark {0} weak: reading {1} failed: {2}", VersionName, SourceFile, ex.Message);
            return false;
        }
        catch (InvalidDataException ex)
        {
            Log.LogError("Cannot mark {0} weak: {1} is not a well-formed ELF64 file: {2}", VersionName, SourceFile, ex.Message);
            return false;
        }

        if (flagOffsets.Count == 0)
        {
            Log.LogMessage(MessageImportance.High, "{0} has no version requirement {1}; copied unchanged to {2}.", SourceFile, VersionName, DestinationFile);
        }

        foreach (var offset in flagOffsets)
        {
            var flags = ReadU16(offset);
            if ((flags & VerFlgWeak) == 0)
            {
                WriteU16(offset, (ushort)(flags | VerFlgWeak));
                Patched = true;
            }
        }

        WriteAtomically();
        if (Patched)
        {
            Log.LogMessage(MessageImportance.High, "Marked version requirement {0} weak in {1} (copy of {2}).", VersionName, DestinationFile, SourceFile);
        }
        else if (flagOffsets.Count > 0)
        {
            Log.LogMessage(MessageImportance.High, "Version requirement {0} is already weak in {1}; copied unchanged to {2}.", VersionName, SourceFile, DestinationFile);
        }

        return true;
    }

    // Returns the file offsets of vna_flags of every Vernaux entry named VersionName.
    private List<int> FindVernauxFlags()
    {
        Require(_image.Length >= ElfHeaderSize, "shorter than an ELF header");
        Require(_image[0] == 0x7f && _image[1] == (byte)'E' && _image[2] == (byte)'L' && _image[3] == (byte)'F', "no ELF magic");
        Require(_image[4] == 2, "EI_CLASS is " + _image[4] + ", not ELFCLASS64");
        Require(_image[5] == 1 || _image[5] == 2, "EI_DATA is " + _image[5] + ", neither little- nor big-endian");
        _bigEndian = _image[5] == 2;

        var sectionTable = ReadU64(0x28);
        var entrySize = ReadU16(0x3a);
        long count = ReadU16(0x3c);
        long namesIndex = ReadU16(0x3e);
        Require(sectionTable != 0, "no section header table");
        Require(entrySize >= SectionHeaderSize, "e_shentsize " + entrySize + " is below " + SectionHeaderSize);
        Require(sectionTable <= (ulong)_image.Length, "e_shoff lies past the end of the file");
        var table = (int)sectionTable;
        CheckRange(table, SectionHeaderSize, "section header 0");
        if (count == 0)
        {
            count = (long)ReadU64(table + 32); // Large section counts live in section 0's sh_size.
        }

        if (namesIndex == 0xffff)
        {
            namesIndex = ReadU32(table + 40); // SHN_XINDEX: the real index is section 0's sh_link.
        }

        Require(count <= (_image.Length - table) / entrySize, "the section header table runs past the end of the file");
        Require(namesIndex < count, "e_shstrndx " + namesIndex + " is not a section");

        var names = Section(table, entrySize, (int)namesIndex);
        var result = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var header = table + (i * entrySize);
            if (ReadString(names, ReadU32(header)) != ".gnu.version_r")
            {
                continue;
            }

            Require(ReadU32(header + 4) == ShtGnuVerneed, ".gnu.version_r is not of type SHT_GNU_verneed");
            var link = ReadU32(header + 40);
            Require(link < count, ".gnu.version_r links to section " + link + ", which does not exist");
            WalkVerneed(Section(table, entrySize, i), (int)ReadU32(header + 44), Section(table, entrySize, (int)link), result);
        }

        return result;
    }

    private void WalkVerneed(Extent needs, int declaredCount, Extent strings, List<int> result)
    {
        var entry = needs.Start;
        // sh_info holds the number of Verneed entries; the chain ends early only where vn_next is 0.
        for (var i = 0; i < declaredCount; i++)
        {
            CheckWithin(needs, entry, VerneedSize, "Verneed entry " + i);
            Require(ReadU16(entry) == 1, "Verneed entry " + i + " has vn_version " + ReadU16(entry) + ", not 1");
            var auxCount = ReadU16(entry + 2);
            var aux = entry + ReadOffset(entry + 8);
            for (var j = 0; j < auxCount; j++)
            {
                CheckWithin(needs, aux, VernauxSize, "Vernaux entry " + j + " of Verneed entry " + i);
                if (ReadString(strings, ReadU32(aux + 8)) == VersionName)
                {
                    result.Add(aux + 4);
                }

                var nextAux = ReadOffset(aux + 12);
                if (nextAux == 0)
                {
                    break;
                }

                aux += nextAux;
            }

            var next = ReadOffset(entry + 12);
            if (next == 0)
            {
                break;
            }

            entry += next;
        }
    }

    private Extent Section(int table, int entrySize, int index)
    {
        var header = table + (index * entrySize);
        var offset = ReadU64(header + 24);
        var size = ReadU64(header + 32);
        Require(offset <= (ulong)_image.Length && size <= (ulong)_image.Length - offset, "section " + index + " lies outside the file");
        return new Extent((int)offset, (int)size);
    }

    private string ReadString(Extent table, uint offset)
    {
        Require(offset < (ulong)table.Length, "a name offset (" + offset + ") lies outside its string table");
        var start = table.Start + (int)offset;
        var end = Array.IndexOf(_image, (byte)0, start, table.Length - (int)offset);
        Require(end >= 0, "a name runs past the end of its string table");
        return Encoding.ASCII.GetString(_image, start, end - start);
    }

    private int ReadOffset(int at)
    {
        var value = ReadU32(at);
        Require(value <= int.MaxValue, "an offset (" + value + ") is out of range");
        return (int)value;
    }

    private ushort ReadU16(int at)
    {
        CheckRange(at, 2, "a 16-bit field");
        return _bigEndian
            ? (ushort)((_image[at] << 8) | _image[at + 1])
            : (ushort)(_image[at] | (_image[at + 1] << 8));
    }

    private void WriteU16(int at, ushort value)
    {
        _image[at + (_bigEndian ? 1 : 0)] = (byte)value;
        _image[at + (_bigEndian ? 0 : 1)] = (byte)(value >> 8);
    }

    private uint ReadU32(int at)
    {
        CheckRange(at, 4, "a 32-bit field");
        uint value = 0;
        for (var i = 0; i < 4; i++)
        {
            value |= (uint)_image[at + (_bigEndian ? 3 - i : i)] << (8 * i);
        }

        return value;
    }

    private ulong ReadU64(int at)
    {
        CheckRange(at, 8, "a 64-bit field");
        ulong value = 0;
        for (var i = 0; i < 8; i++)
        {
            value |= (ulong)_image[at + (_bigEndian ? 7 - i : i)] << (8 * i);
        }

        return value;
    }

    private void CheckRange(int at, int length, string what)
    {
        Require(at >= 0 && length <= _image.Length - at, what + " at offset " + at + " lies outside the file");
    }

    private static void CheckWithin(Extent range, int at, int length, string what)
    {
        Require(at >= range.Start && length <= range.Start + range.Length - at, what + " lies outside .gnu.version_r");
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException(problem);
        }
    }

    // Written beside the destination, then moved over it, so that an interrupted build never leaves a
    // truncated library that looks newer than its source.
    private void WriteAtomically()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(DestinationFile));
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, Path.GetFileName(DestinationFile) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllBytes(temporary, _image);
        if (File.Exists(DestinationFile))
        {
            File.Replace(temporary, DestinationFile, null);
        }
        else
        {
            File.Move(temporary, DestinationFile);
        }
    }

    private struct Extent
    {
        public Extent(int start, int length)
        {
            Start = start;
            Length = length;
        }

        public int Start { get; }

        public int Length { get; }
    }
}
