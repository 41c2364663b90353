using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Determinant.Master.Data.Migrations.Postgres
{
    /// <summary>
    /// <c>metric_reports</c> keyed by (trial, group, steps) instead of a row id (the SQLite migration of the same name
    /// also stores the rows in that order); trials point at their best and latest validation by its steps.
    /// </summary>
    public partial class ClusteredMetricReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "BestValidationSteps", table: "trials", type: "bigint", nullable: true);
            migrationBuilder.AddColumn<long>(name: "LatestValidationSteps", table: "trials", type: "bigint", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "trials" t SET "BestValidationSteps" = m."StepsCompleted" FROM "metric_reports" m WHERE m."Id" = t."BestValidationId";
                UPDATE "trials" t SET "LatestValidationSteps" = m."StepsCompleted" FROM "metric_reports" m WHERE m."Id" = t."LatestValidationId";
                """);
            migrationBuilder.DropColumn(name: "BestValidationId", table: "trials");
            migrationBuilder.DropColumn(name: "LatestValidationId", table: "trials");

            migrationBuilder.DropPrimaryKey(name: "PK_metric_reports", table: "metric_reports");
            migrationBuilder.DropIndex(name: "IX_metric_reports_TrialId_Group_StepsCompleted", table: "metric_reports");
            migrationBuilder.DropColumn(name: "Id", table: "metric_reports");
            migrationBuilder.AddPrimaryKey(name: "PK_metric_reports", table: "metric_reports", columns: new[] { "TrialId", "Group", "StepsCompleted" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(name: "PK_metric_reports", table: "metric_reports");
            migrationBuilder.AddColumn<long>(name: "Id", table: "metric_reports", type: "bigint", nullable: false, defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
            migrationBuilder.AddPrimaryKey(name: "PK_metric_reports", table: "metric_reports", column: "Id");
            migrationBuilder.CreateIndex(name: "IX_metric_reports_TrialId_Group_StepsCompleted", table: "metric_reports",
                columns: new[] { "TrialId", "Group", "StepsCompleted" }, unique: true);

            migrationBuilder.AddColumn<long>(name: "BestValidationId", table: "trials", type: "bigint", nullable: true);
            migrationBuilder.AddColumn<long>(name: "LatestValidationId", table: "trials", type: "bigint", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "trials" t SET "BestValidationId" = m."Id" FROM "metric_reports" m
                  WHERE m."TrialId" = t."Id" AND m."Group" = 'validation' AND m."StepsCompleted" = t."BestValidationSteps";
                UPDATE "trials" t SET "LatestValidationId" = m."Id" FROM "metric_reports" m
                  WHERE m."TrialId" = t."Id" AND m."Group" = 'validation' AND m."StepsCompleted" = t."LatestValidationSteps";
                """);
            migrationBuilder.DropColumn(name: "BestValidationSteps", table: "trials");
            migrationBuilder.DropColumn(name: "LatestValidationSteps", table: "trials");
        }
    }
}
