using System.Data.Common;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Determinant.Master.CoreApi;

/// <summary>
/// The two statements of a metrics batch, with table and column names taken from the EF model and quoted by the
/// provider. <c>INSERT … ON CONFLICT … DO UPDATE … WHERE</c> is the same on SQLite and PostgreSQL; it keeps the
/// (trial, group, steps) rule of <see cref="TrialReports.RecordMetricsAsync"/>: a later run replaces, a retry stores nothing.
/// </summary>
internal sealed class MetricUpsertSql(string upsert, string advanceTotalBatches, bool isSqlite)
{
    public bool IsSqlite { get; } = isSqlite;

    public static MetricUpsertSql For(MasterDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var quote = db.GetService<ISqlGenerationHelper>();
        var metrics = db.Model.FindEntityType(typeof(MetricReportEntity))!;
        var metricsTable = StoreObjectIdentifier.Table(metrics.GetTableName()!, metrics.GetSchema());
        string M(string property) => quote.DelimitIdentifier(metrics.FindProperty(property)!.GetColumnName(metricsTable)!);
        var trials = db.Model.FindEntityType(typeof(TrialEntity))!;
        var trialsTable = StoreObjectIdentifier.Table(trials.GetTableName()!, trials.GetSchema());
        string T(string property) => quote.DelimitIdentifier(trials.FindProperty(property)!.GetColumnName(trialsTable)!);
        var m = quote.DelimitIdentifier(metricsTable.Name, metricsTable.Schema);
        var t = quote.DelimitIdentifier(trialsTable.Name, trialsTable.Schema);
        string[] columns = [nameof(MetricReportEntity.TrialId), nameof(MetricReportEntity.RunId), nameof(MetricReportEntity.Group),
            nameof(MetricReportEntity.StepsCompleted), nameof(MetricReportEntity.ReportTime), nameof(MetricReportEntity.MetricsJson)];
        var upsert = $"INSERT INTO {m} ({string.Join(", ", columns.Select(M))}) VALUES (@t, @r, @g, @s, @time, @json) "
            + $"ON CONFLICT ({M(columns[0])}, {M(columns[2])}, {M(columns[3])}) DO UPDATE SET "
            + string.Join(", ", new[] { columns[1], columns[4], columns[5], nameof(MetricReportEntity.SearcherMetric) }
                .Select(c => $"{M(c)} = excluded.{M(c)}"))
            + $" WHERE excluded.{M(columns[1])} > {m}.{M(columns[1])}";
        var advance = $"UPDATE {t} SET {T(nameof(TrialEntity.TotalBatches))} = @s "
            + $"WHERE {T(nameof(TrialEntity.Id))} = @t AND {T(nameof(TrialEntity.TotalBatches))} < @s";
        return new MetricUpsertSql(upsert, advance, db.Database.IsSqlite());
    }

    public DbCommand Upsert(DbConnection connection, DbTransaction transaction) =>
        Command(connection, transaction, upsert, "@t", "@r", "@g", "@s", "@time", "@json");

    public DbCommand AdvanceTotalBatches(DbConnection connection, DbTransaction transaction) =>
        Command(connection, transaction, advanceTotalBatches, "@t", "@s");

    public static void Bind(DbCommand upsert, PendingMetricReport report)
    {
        ArgumentNullException.ThrowIfNull(upsert);
        ArgumentNullException.ThrowIfNull(report);
        upsert.Parameters[0].Value = report.TrialId;
        upsert.Parameters[1].Value = report.RunId;
        upsert.Parameters[2].Value = report.Group;
        upsert.Parameters[3].Value = report.StepsCompleted;
        upsert.Parameters[4].Value = report.ReportTime;
        upsert.Parameters[5].Value = report.MetricsJson;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string text, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // The text is built from the EF model's own names, quoted by the provider; values are parameters.
        command.CommandText = text;
#pragma warning restore CA2100
        // No DbType: each provider infers it from the value (a UTC DateTime is timestamptz on PostgreSQL, text on SQLite).
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
        }
        return command;
    }
}
