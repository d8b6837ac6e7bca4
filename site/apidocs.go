package site

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// The API documentation page is rendered from the same OpenAPI description
// /api/v1/openapi.json serves, so the two cannot disagree.

type apiDoc struct {
	Title, Description string
	Ops                []apiOp
}

type apiOp struct {
	Method, Path, Summary, Description string
	Params                             []apiParam
	Responses                          []apiDocResponse
	Auth                               bool
}

type apiParam struct {
	Name, In, Description, Type string
	Required                    bool
	Enum                        []string
}

type apiDocResponse struct {
	Code, Description string
}

// apiDocs reads the OpenAPI description into what the page lists.
func apiDocs() (*apiDoc, error) {
	b, err := json.Marshal(openAPI())
	if err != nil {
		return nil, err
	}
	var spec struct {
		Info struct {
			Title, Description string
		}
		Paths map[string]map[string]struct {
			Summary, Description string
			Parameters           []struct {
				Name, In, Description string
				Required              bool
				Schema                struct {
					Type string
					Enum []any
				}
			}
			Responses map[string]struct{ Description string }
			Security  []any
		}
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, err
	}
	doc := &apiDoc{Title: spec.Info.Title, Description: spec.Info.Description}
	for path, methods := range spec.Paths {
		for method, op := range methods {
			o := apiOp{Method: strings.ToUpper(method), Path: path, Summary: op.Summary, Description: op.Description, Auth: len(op.Security) > 0}
			for _, p := range op.Parameters {
				ap := apiParam{Name: p.Name, In: p.In, Description: p.Description, Type: p.Schema.Type, Required: p.Required}
				for _, e := range p.Schema.Enum {
					if s, ok := e.(string); ok && s != "" {
						ap.Enum = append(ap.Enum, s)
					}
				}
				o.Params = append(o.Params, ap)
			}
			for code, r := range op.Responses {
				o.Responses = append(o.Responses, apiDocResponse{code, r.Description})
			}
			slices.SortFunc(o.Responses, func(a, b apiDocResponse) int { return cmp.Compare(a.Code, b.Code) })
			doc.Ops = append(doc.Ops, o)
		}
	}
	slices.SortFunc(doc.Ops, func(a, b apiOp) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
	})
	return doc, nil
}

// handleAPIDocs is /api: the API described for people.
func (s *Server) handleAPIDocs(w http.ResponseWriter, r *http.Request) error {
	doc, err := apiDocs()
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "api", "API", doc)
	return nil
}

// handleMethod is /metodologi: where the data comes from and how the
// portal's figures are computed.
func (s *Server) handleMethod(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, "method", langOf(r).translate("nav.method"), nil)
	return nil
}
