package site

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
)

// registerRoutes lists every route of the portal in one place: pages for
// browsers first, then the JSON API. What each answer is computed from
// (cachedPage, cachedData: the program, the index, the live release) is
// said here too, for HTTP caching (httpcache.go); a route without it is
// not kept by caches in front, unless it is named by a release id, whose
// handler marks it immutable.
func (s *Server) registerRoutes() {
	r := s.router
	r.Handle("/", s.cachedPage(fromRelease, s.page(s.handleHome))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/search", s.cachedPage(fromIndex, s.page(s.perClient(s.searches, s.handleSearch)))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/search.csv", s.cachedData(fromIndex, s.api(s.perClient(s.searches, s.handleSearchCSV)))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/feeds/{id}", s.page(s.handleFeedPage)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/wilayah", s.cachedPage(fromRelease, s.page(s.handleRegionPicker))).Methods(http.MethodGet, http.MethodHead)
	// Before /wilayah/{code}, which would take "banding" for a region code.
	r.Handle("/wilayah/banding", s.cachedPage(fromRelease, s.page(s.handlePeers))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/wilayah/{code}", s.cachedPage(fromRelease, s.page(s.handleRegion))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/data/{dataset}/{region}/{year:[0-9]{4}}/{id}", s.cachedPage(fromRelease, s.page(s.handleRecord))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/downloads/{release}/{dataset}/{region}/{file}", s.api(s.perClientDownload(s.handleDownload))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/downloads/{release}/{file}", s.api(s.perClientDownload(s.handleDatasetDownload))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/api", s.cachedPage(fromBuild, s.page(s.handleAPIDocs))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metodologi", s.cachedPage(fromBuild, s.page(s.handleMethod))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/glosarium", s.cachedPage(fromBuild, s.page(s.handleGlossary))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/penyedia/{npwp:[0-9]{15}}", s.cachedPage(fromIndex, s.page(s.handleSupplier))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metodologi/tanda-risiko", s.cachedPage(fromBuild, s.page(s.handleFlagMethod))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/kirim", s.page(s.handleUploadForm)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/kirim", s.page(s.handleUpload)).Methods(http.MethodPost)
	r.Handle("/kirim/token", s.cachedPage(fromBuild, s.page(s.handleTokenHelp))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/datasets", s.cachedPage(fromRelease, s.page(s.handleDatasets))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/datasets/{name}", s.cachedPage(fromRelease, s.page(s.handleDataset))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/datasets/{name}/template.{ext:csv|xlsx}", s.cachedData(fromBuild, s.api(s.handleTemplateFile))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases", s.cachedPage(fromRelease, s.page(s.handleReleasesPage))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases/{id:[0-9]+}", s.cachedPage(fromRelease, s.page(s.handleReleasePage))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases.json", s.cachedData(fromRelease, s.api(s.handleReleases))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases.atom", s.cachedData(fromRelease, s.api(s.handleAtom))).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases/{id}.json", s.api(s.handleRelease)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases/{id}/datapackage.json", s.api(s.handleDataPackage)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases/{id:[0-9]+}/changes.json", s.api(s.handleChangesJSON)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/releases/{id:[0-9]+}/changes.csv", s.api(s.handleChangesCSV)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/catalog.jsonld", s.cachedData(fromRelease, s.api(s.handleCatalog))).Methods(http.MethodGet, http.MethodHead)
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", staticFiles()))

	api := r.PathPrefix("/api/v1").Subrouter()
	api.Handle("/search", s.cachedData(fromIndex, s.api(s.perClient(s.searches, s.handleAPISearch)))).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/openapi.json", s.cachedData(fromBuild, s.api(s.handleOpenAPI))).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/regions/{code}", s.cachedData(fromRelease, s.api(s.handleRegionAPI))).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/records/{id}", s.cachedData(fromRelease, s.api(s.handleRecordAPI))).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/feeds", s.api(s.handlePush)).Methods(http.MethodPost)
	r.Handle("/api/3/action/{action}", s.cachedData(fromRelease, s.api(s.perClient(s.searches, s.handleCKAN)))).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/feeds/{id}", s.api(s.handleFeed)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/healthz", s.api(s.handleHealth)).Methods(http.MethodGet, http.MethodHead)
	if s.cfg.Metrics != nil {
		r.Use(routeLabel)
		if !s.cfg.MetricsElsewhere {
			r.Handle("/metrics", s.cfg.Metrics.Handler()).Methods(http.MethodGet, http.MethodHead)
		}
	}

	// What no route answers: 405 with Allow when other methods are
	// answered at the path, else 404. Gorilla/mux alone turns a wrong
	// method under a subrouter (the API's) into a 404.
	unrouted := s.byAudience(func(w http.ResponseWriter, req *http.Request) error {
		if allowed := allowedMethods(r, req); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			return &userError{status: http.StatusMethodNotAllowed, msg: dataset.Label{ID: "metode " + req.Method + " tidak didukung di alamat ini", EN: "method " + req.Method + " is not supported at this address"}, err: errNoRoute}
		}
		return &userError{status: http.StatusNotFound, msg: dataset.Label{ID: "halaman tidak ditemukan", EN: "page not found"}, err: errNoRoute}
	})
	r.NotFoundHandler, r.MethodNotAllowedHandler = unrouted, unrouted
}

// allowedMethods lists the methods some route of r answers at req's path,
// for the Allow header a 405 must carry.
func allowedMethods(r *mux.Router, req *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		try := req.Clone(req.Context())
		try.Method = m
		var match mux.RouteMatch
		if r.Match(try, &match) && match.MatchErr == nil {
			out = append(out, m)
		}
	}
	return out
}

// byAudience answers with h as JSON under /api/, where a client reads
// JSON whatever it asked for, and as a page elsewhere.
func (s *Server) byAudience(h appHandler) http.Handler {
	api, page := s.api(h), s.page(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.ServeHTTP(w, r)
			return
		}
		page.ServeHTTP(w, r)
	})
}
