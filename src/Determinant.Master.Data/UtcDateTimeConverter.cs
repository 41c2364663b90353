using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Determinant.Master.Data;

/// <summary>Every stored time is UTC; SQLite forgets the kind, so it is put back on read.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
