using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Determinant.Master.Data.Migrations.Sqlite
{
    /// <summary>
    /// <c>metric_reports</c> keyed by (trial, group, steps) and stored in that order (<c>WITHOUT ROWID</c>): a learning
    /// curve is then read from consecutive pages instead of one scattered row per point, however many trials reported
    /// side by side. Trials point at their best and latest validation by its steps instead of the dropped row id.
    /// Written by hand: EF cannot declare a <c>WITHOUT ROWID</c> table, and a table rebuild it generated would lose it
    /// (MasterModel.cs; a test checks the table's definition).
    /// </summary>
    public partial class ClusteredMetricReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "BestValidationSteps", table: "trials", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "LatestValidationSteps", table: "trials", type: "INTEGER", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "trials" SET
                  "BestValidationSteps" = (SELECT m."StepsCompleted" FROM "metric_reports" m WHERE m."Id" = "trials"."BestValidationId"),
                  "LatestValidationSteps" = (SELECT m."StepsCompleted" FROM "metric_reports" m WHERE m."Id" = "trials"."LatestValidationId");
                """);
            migrationBuilder.Sql("""ALTER TABLE "trials" DROP COLUMN "BestValidationId";""");
            migrationBuilder.Sql("""ALTER TABLE "trials" DROP COLUMN "LatestValidationId";""");
            migrationBuilder.Sql("""
                CREATE TABLE "metric_reports_clustered" (
                  "TrialId" INTEGER NOT NULL,
                  "Group" TEXT NOT NULL,
                  "StepsCompleted" INTEGER NOT NULL,
                  "RunId" INTEGER NOT NULL,
                  "ReportTime" TEXT NOT NULL,
                  "MetricsJson" TEXT NOT NULL,
                  "SearcherMetric" REAL NULL,
                  CONSTRAINT "PK_metric_reports" PRIMARY KEY ("TrialId", "Group", "StepsCompleted"),
                  CONSTRAINT "FK_metric_reports_trials_TrialId" FOREIGN KEY ("TrialId") REFERENCES "trials" ("Id") ON DELETE CASCADE
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "metric_reports_clustered" ("TrialId", "Group", "StepsCompleted", "RunId", "ReportTime", "MetricsJson", "SearcherMetric")
                SELECT "TrialId", "Group", "StepsCompleted", "RunId", "ReportTime", "MetricsJson", "SearcherMetric" FROM "metric_reports"
                ORDER BY "TrialId", "Group", "StepsCompleted";
                """);
            migrationBuilder.Sql("""DROP TABLE "metric_reports";""");
            migrationBuilder.Sql("""ALTER TABLE "metric_reports_clustered" RENAME TO "metric_reports";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "metric_reports_rowid" (
                  "Id" INTEGER NOT NULL CONSTRAINT "PK_metric_reports" PRIMARY KEY AUTOINCREMENT,
                  "TrialId" INTEGER NOT NULL,
                  "RunId" INTEGER NOT NULL,
                  "Group" TEXT NOT NULL,
                  "StepsCompleted" INTEGER NOT NULL,
                  "ReportTime" TEXT NOT NULL,
                  "MetricsJson" TEXT NOT NULL,
                  "SearcherMetric" REAL NULL,
                  CONSTRAINT "FK_metric_reports_trials_TrialId" FOREIGN KEY ("TrialId") REFERENCES "trials" ("Id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "metric_reports_rowid" ("TrialId", "RunId", "Group", "StepsCompleted", "ReportTime", "MetricsJson", "SearcherMetric")
                SELECT "TrialId", "RunId", "Group", "StepsCompleted", "ReportTime", "MetricsJson", "SearcherMetric" FROM "metric_reports"
                ORDER BY "ReportTime", "TrialId", "Group", "StepsCompleted";
                """);
            migrationBuilder.Sql("""DROP TABLE "metric_reports";""");
            migrationBuilder.Sql("""ALTER TABLE "metric_reports_rowid" RENAME TO "metric_reports";""");
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "IX_metric_reports_TrialId_Group_StepsCompleted" ON "metric_reports" ("TrialId", "Group", "StepsCompleted");""");
            migrationBuilder.AddColumn<long>(name: "BestValidationId", table: "trials", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "LatestValidationId", table: "trials", type: "INTEGER", nullable: true);
            migrationBuilder.Sql("""
                UPDATE "trials" SET
                  "BestValidationId" = (SELECT m."Id" FROM "metric_reports" m WHERE m."TrialId" = "trials"."Id" AND m."Group" = 'validation' AND m."StepsCompleted" = "trials"."BestValidationSteps"),
                  "LatestValidationId" = (SELECT m."Id" FROM "metric_reports" m WHERE m."TrialId" = "trials"."Id" AND m."Group" = 'validation' AND m."StepsCompleted" = "trials"."LatestValidationSteps");
                """);
            migrationBuilder.Sql("""ALTER TABLE "trials" DROP COLUMN "BestValidationSteps";""");
            migrationBuilder.Sql("""ALTER TABLE "trials" DROP COLUMN "LatestValidationSteps";""");
        }
    }
}
