/** Exact SQL and parameters of the ResourcesService queries. */
package com.kubetelemetry.query.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceQueryCompilerTest {
  private static final TenantId TENANT = new TenantId("acme");
  private final ResourceQueryCompiler compiler =
      new ResourceQueryCompiler(new SchemaOptions("otel", 7, 7, 30), QueryLimits.defaults());

  @Test
  void listBindsEveryValueAndFiltersOnLabelsAndJsonPaths() {
    ResourceListing listing = new ResourceListing("Pod", "", "shop",
        LabelSelectorParser.parse("app=web,env notin (dev)", "label_selector"),
        List.of(FieldFilter.of("status.phase", LabelRequirement.Op.EQUALS, List.of("Running"), "field_filters[0]")),
        "web-", 10, new ResourceListing.Position("shop", "web-1", "u1"));
    Sql sql = compiler.list(TENANT, listing);
    String text = sql.text();
    assertThat(text).endsWith("FROM `otel`.`k8s_resources_current` FINAL\nWHERE TenantId = {p0:String}\n"
        + "  AND Kind = {p1:String}\n  AND Namespace = {p2:String}\n  AND startsWith(Name, {p3:String})\n"
        + "  AND (Namespace, Name, Uid) > ({p4:String}, {p5:String}, {p6:String})\n"
        + "  AND (mapContains(Labels, {p7:String}) AND Labels[{p7:String}] = {p8:String})\n"
        + "  AND NOT (mapContains(Labels, {p9:String}) AND has({p10:Array(String)}, Labels[{p9:String}]))\n"
        + "  AND (JSONHas(Object, {p11:String}, {p12:String}) AND JSONExtractString(Object, {p11:String}, "
        + "{p12:String}) = {p13:String})\n  AND Deleted = 0\nORDER BY Namespace, Name, Uid\n"
        + "LIMIT {p14:UInt32}");
    assertThat(text).doesNotContain("Running").doesNotContain("web-1");
    assertThat(sql.settings()).containsEntry("readonly", "1").containsEntry("max_threads", "1")
        .containsEntry("max_block_size", "1024");
  }

  @Test
  void listNeedsAKindAndAValidPageSize() {
    assertThatThrownBy(() -> compiler.list(TENANT, new ResourceListing("", "", "", List.of(), List.of(), "", 0,
        null))).isInstanceOf(QueryException.class).hasMessageContaining("`kind` is required");
    assertThatThrownBy(() -> compiler.list(TENANT, new ResourceListing("Pod", "", "", List.of(), List.of(), "", -1,
        null))).isInstanceOf(QueryException.class).hasMessageContaining("page.page_size");
  }

  @Test
  void fieldFiltersCheckPathAndValues() {
    assertThatThrownBy(() -> FieldFilter.of("status..phase", LabelRequirement.Op.EQUALS, List.of("x"), "f"))
        .isInstanceOf(QueryException.class).hasMessageContaining("non-empty segments");
    assertThatThrownBy(() -> FieldFilter.of("status.phase", LabelRequirement.Op.IN, List.of(), "f"))
        .isInstanceOf(QueryException.class).hasMessageContaining("1 to 1000 values");
  }

  @Test
  void historyPagesFromThePreviousVersionInclusive() {
    Sql sql = compiler.history(TENANT, new ResourceKey("Pod", "", "shop", "web-1", ""), null,
        new ResourceQueryCompiler.HistoryPosition(42, 2, "u1"), 5);
    assertThat(sql.text()).contains("FROM `otel`.`k8s_resource_history` FINAL\nWHERE TenantId = {p0:String}\n"
        + "  AND Kind = {p1:String}\n  AND Namespace = {p2:String}\n  AND Name = {p3:String}\n"
        + "  AND (ResourceVersionNumber, toInt8(EventType), Uid) >= ({p4:UInt64}, {p5:Int8}, {p6:String})\n"
        + "ORDER BY ResourceVersionNumber, EventType, Uid\nLIMIT {p7:UInt32}");
    assertThat(sql.params().getLast().value()).isEqualTo(7);
  }

  @Test
  void keyNeedsUidOrKindAndName() {
    assertThatThrownBy(() -> new ResourceKey("Pod", "", "", "", "")).isInstanceOf(QueryException.class)
        .hasMessageContaining("needs `uid`");
    assertThat(new ResourceKey("", "", "", "", "u1").uid()).isEqualTo("u1");
  }

  @Test
  void relatedTelemetryUsesK8sResourceAttributes() {
    assertThat(RelatedTelemetry.matchers("Pod", "shop", "web-1")).extracting(m -> m.key() + "=" + m.values())
        .containsExactly("k8s.namespace.name=[shop]", "k8s.pod.name=[web-1]");
    assertThat(RelatedTelemetry.matchers("Node", "", "n1")).extracting(m -> m.key() + "=" + m.values())
        .containsExactly("k8s.node.name=[n1]");
    assertThatThrownBy(() -> RelatedTelemetry.matchers("ConfigMap", "a", "b")).isInstanceOf(QueryException.class)
        .hasMessageContaining("Pod, Deployment");
  }
}
