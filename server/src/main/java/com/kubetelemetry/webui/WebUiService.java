/** Serves the web UI build (web-ui/dist) at {@code /} of the main port; client routes fall back to index.html. */
package com.kubetelemetry.webui;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.FileServiceBuilder;
import com.linecorp.armeria.server.file.HttpFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files come from {@code server.webUiDirectory} when it is set (a freshly built {@code web-ui/dist}, no jar
 * rebuild needed), else from the copy the build packages into the jar under {@value #CLASSPATH_ROOT}/, so the one
 * fat jar is the whole product. Hashed files under {@code /assets/} are cached for a year; everything else
 * (index.html) is revalidated. A GET of a path without a file extension that names no file is a client route
 * (e.g. {@code /traces/abc}) and gets index.html. Pre-compressed {@code .gz} siblings are served to clients that
 * accept gzip. Only GET and HEAD are answered; other methods get 404, as before the UI existed, so unknown gRPC
 * paths still look unimplemented to gRPC clients. Registered after every exact route, it never shadows the API.
 */
public final class WebUiService implements HttpService {
  /** Folder of the jar that holds the packaged build. */
  public static final String CLASSPATH_ROOT = "webui";
  private static final String ASSETS = "/assets/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";
  private static final String NOT_BUILT = "The web UI is not built into this server. Run `make web` and rebuild "
      + "the jar (`make build`), or set server.webUiDirectory (TELEMETRY_SERVER_WEB_UI_DIRECTORY) to a built "
      + "web-ui/dist.\n";

  private final FileService assets;
  private final HttpService pages;

  private WebUiService(FileServiceBuilder assets, FileServiceBuilder pages, HttpFile index) {
    this.assets = assets.cacheControl(IMMUTABLE).serveCompressedFiles(true).autoIndex(false).build();
    FileService pageFiles = pages.cacheControl(REVALIDATE).serveCompressedFiles(true).autoIndex(false).build();
    HttpService indexPage = index.asService();
    this.pages = pageFiles.orElse((ctx, req) -> isClientRoute(ctx.path())
        ? indexPage.serve(ctx, req)
        : notFound(ctx.path()));
  }

  /**
   * The web UI service for this configuration value: a directory when non-blank, else the packaged copy; when
   * neither holds an index.html, a service answering every page with 404 and how to build the UI.
   */
  public static HttpService of(String directory) {
    if (!directory.isBlank()) {
      return fromDirectory(Path.of(directory));
    }
    return fromClasspath(WebUiService.class.getClassLoader(), CLASSPATH_ROOT);
  }

  /** Serves the build in {@code directory} (which must hold index.html, else the not-built answer). */
  public static HttpService fromDirectory(Path directory) {
    Path index = directory.resolve("index.html");
    if (!Files.isRegularFile(index)) {
      return notBuilt();
    }
    return new WebUiService(FileService.builder(directory), FileService.builder(directory),
        HttpFile.builder(index).cacheControl(REVALIDATE).build());
  }

  /** Serves the build packaged under {@code root} of the class path. */
  public static HttpService fromClasspath(ClassLoader loader, String root) {
    String index = root + "/index.html";
    if (loader.getResource(index) == null) {
      return notBuilt();
    }
    return new WebUiService(FileService.builder(loader, root), FileService.builder(loader, root),
        HttpFile.builder(loader, index).cacheControl(REVALIDATE).build());
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    HttpMethod method = req.method();
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return notFound(ctx.path());
    }
    return ctx.path().startsWith(ASSETS) ? assets.serve(ctx, req) : pages.serve(ctx, req);
  }

  @Override
  public void serviceAdded(ServiceConfig cfg) throws Exception {
    assets.serviceAdded(cfg);
    pages.serviceAdded(cfg);
  }

  /** True for paths a browser may open directly: the last segment has no file extension. */
  static boolean isClientRoute(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return !path.startsWith(ASSETS) && !last.contains(".");
  }

  private static HttpResponse notFound(String path) {
    return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "not found: %s\n", path);
  }

  private static HttpService notBuilt() {
    return (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, NOT_BUILT);
  }
}
