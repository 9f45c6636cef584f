import type { Analysis } from '../../api/client';
import { Link, searchPath } from '../../router';

/**
 * What the vision model read besides the headline: subcategories, places and hashtags are links
 * to a search for them; the rest are plain tags.
 */
export function ItemFacts({ analysis }: { analysis: Analysis }) {
  const raw = analysis.raw;
  if (!raw) return null;
  const { media_metadata: media, image_details: details } = raw;
  return (
    <dl className="facts">
      <Fact label="Subcategories" values={analysis.subcategories} linked />
      <Fact label="Places" values={media.location_tags} linked />
      <Fact label="Hashtags" values={media.hashtags} linked />
      <Fact label="Themes" values={details.themes} />
      <Fact label="Vibes" values={details.vibes} />
      <Fact label="Objects" values={details.objects} />
      <Fact label="Emotions" values={details.emotions} />
      {details.likely_source && <Fact label="Likely source" values={[details.likely_source]} />}
      {media.original_poster && <Fact label="Posted by" values={[media.original_poster]} />}
      {details.key_interest && <Fact label="Key interest" values={[details.key_interest]} />}
    </dl>
  );
}

function Fact({ label, values, linked }: { label: string; values: string[]; linked?: boolean }) {
  if (!values.length) return null;
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>
        <ul className="tags">
          {values.map((v, i) =>
            linked ? (
              <li key={i}>
                <Link to={searchPath(v)} className="tag tag-link" title={`Search for “${v}”`}>
                  {v}
                </Link>
              </li>
            ) : (
              <li key={i} className="tag">
                {v}
              </li>
            ),
          )}
        </ul>
      </dd>
    </div>
  );
}
